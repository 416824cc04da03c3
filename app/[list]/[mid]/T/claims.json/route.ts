import { notesRoute } from '@/app/components/claims/notes-json';

/** The claim notes of the thread page next door (/T/), which fetches them once hydrated. */
export const GET = notesRoute('thread');
