// Preloaded into `next start` (node --import, lib/cli/site.ts), outermost: every answer names
// the start it comes from, X-Threadlab-Instance: THREADLAB_INSTANCE, a random token startSite
// chose. So startSite knows that the server answering on its port is the one it started, not
// another site already there (whose answers a bench would otherwise time and count as ours).
import http from 'node:http';

const instance = process.env.THREADLAB_INSTANCE;
const createServer = http.createServer;

if (instance) {
  http.createServer = function (...args) {
    const at = args.findIndex((a) => typeof a === 'function');
    if (at >= 0) {
      const listener = args[at];
      args[at] = (req, res) => {
        res.setHeader('x-threadlab-instance', instance);
        return listener(req, res);
      };
    }
    return createServer.apply(this, args);
  };
}
