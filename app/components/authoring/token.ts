// The edit token: sent in this header with every write, kept in the tab's session storage once entered.

export const EDIT_TOKEN_HEADER = 'x-threadlab-edit-token';
const KEY = 'threadlab-edit-token';

export const storedToken = (): string => sessionStorage.getItem(KEY) ?? '';
export const keepToken = (token: string) => (token ? sessionStorage.setItem(KEY, token) : sessionStorage.removeItem(KEY));
