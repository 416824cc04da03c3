// Preloaded into `next start` (node --import, lib/cli/site.ts): the site serves GET and HEAD,
// and takes writes only under /authoring/ (claims written from the page, which checks the edit
// token); any other method or place is answered 405 here, before Next. Next cannot be told so
// itself: its pages answer POST, PUT or DELETE as GET, and a TRACE fails its Request
// constructor (undici refuses the method) with a 500, in proxy.ts too, which never sees it.
import http from 'node:http';

const ALLOWED = ['GET', 'HEAD'];
const WRITES = ['POST', 'DELETE'];
const WRITABLE = /^\/authoring\/claims(?:\?|$)/;
const createServer = http.createServer;

/** Next's request listener, behind the method check. */
function guarded(listener) {
  return (req, res) => {
    if (ALLOWED.includes(req.method) || (WRITES.includes(req.method) && WRITABLE.test(req.url ?? ''))) return listener(req, res);
    res.writeHead(405, {
      allow: ALLOWED.join(', '), 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff',
    });
    res.end(`${req.method} is not served here; only ${ALLOWED.join(' and ')}${WRITES.includes(req.method) ? ' (claims are written under /authoring/)' : ''}.\n`);
  };
}

http.createServer = function (...args) {
  const at = args.findIndex((a) => typeof a === 'function');
  if (at >= 0) args[at] = guarded(args[at]);
  return createServer.apply(this, args);
};
