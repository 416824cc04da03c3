import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Threadlab', template: '%s · Threadlab' },
  description: 'Read, run and search technical mailing-list discussions.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site">
          <Link href="/" className="brand">Threadlab</Link>
          <nav className="site-nav" aria-label="Site">
            <Link href="/search">Search</Link>
            <Link href="/scenarios">Scenarios</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
