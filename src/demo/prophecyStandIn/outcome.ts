// The result of an API call inside the stand-in: a value, or the HTTP status and message the API would
// answer. A refused request is an outcome, never an exception: exceptions are for the stand-in's bugs.
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly status: number; readonly message: string };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = (status: number, message: string): Outcome<never> => ({ ok: false, status, message });
