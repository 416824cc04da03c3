import { notesRoute } from '@/app/components/claims/notes-json';

/** The claim notes of the message's permalink page, which fetches them once hydrated. */
export const GET = notesRoute('message');
