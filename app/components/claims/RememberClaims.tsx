'use client';
import { useEffect } from 'react';

/** Keeps the reader's claims on/off choice for later pages (read by the server: ClaimsSwitch). */
export function RememberClaims({ value }: { value: 'on' | 'off' }) {
  useEffect(() => {
    document.cookie = `threadlab-claims=${value}; path=/; max-age=31536000; samesite=lax`;
  }, [value]);
  return null;
}
