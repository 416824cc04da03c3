import Link from 'next/link';

export default function NotFound() {
  return (
    <>
      <h1>Not found</h1>
      <p>No list, thread or message by that name is in this archive.</p>
      <p><Link href="/">All lists</Link></p>
    </>
  );
}
