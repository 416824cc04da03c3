import Link from 'next/link';
import { connection } from 'next/server';

// Rendered per request, as every page is, for its policy's nonce (app/_http/security.ts).
export default async function NotFound() {
  await connection();
  return (
    <>
      <h1>Not found</h1>
      <p>No list, thread or message by that name is in this archive.</p>
      <p><Link href="/">All lists</Link></p>
    </>
  );
}
