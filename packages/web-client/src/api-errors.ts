/** How the client shows an API error: messages next to the form field they belong to, the rest above the form. */
export interface ApiErrorBody {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

export const isApiErrorBody = (value: unknown): value is ApiErrorBody =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ApiErrorBody).error === 'object' &&
  (value as ApiErrorBody).error !== null &&
  typeof (value as ApiErrorBody).error.message === 'string';

export interface FormErrors {
  /** By top-level form field (`instrument.symbol` belongs to `instrument`). */
  fields: Record<string, string[]>;
  /** Whatever no field of the form shows. */
  general: string[];
}

export const formErrors = (status: number, body: unknown, formFields: readonly string[]): FormErrors => {
  const result: FormErrors = { fields: {}, general: [] };
  if (!isApiErrorBody(body)) {
    result.general.push(`The server answered ${status} without an explanation.`);
    return result;
  }
  const { code, message, details } = body.error;
  if (status === 409 && code === 'CONFLICT') {
    result.general.push(
      'Someone changed this trade after you opened it (its version moved on), so your change was not saved. ' +
        'Reload the trade to see the current version, then make your change again.',
    );
    return result;
  }
  const unplaced: string[] = [];
  for (const detail of details ?? []) {
    const field = detail.path.split('.')[0] ?? '';
    if (formFields.includes(field)) {
      const text =
        detail.path === field ? detail.message : `${detail.path.slice(field.length + 1)}: ${detail.message}`;
      result.fields[field] = [...(result.fields[field] ?? []), text];
    } else unplaced.push(`${detail.path}: ${detail.message}`);
  }
  result.general.push(message, ...unplaced);
  return result;
};
