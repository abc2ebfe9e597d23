// List inputs in the shape docker/build-push-action users know: one item a line, and for some inputs
// also comma-separated (quotes keep a comma inside an item). Blank items and stray separators vanish.
import { parse } from 'csv-parse/sync';

export function parseList(value: string, { commas }: { commas: boolean }): string[] {
  const items: string[] = [];
  for (const line of value.split(/\r?\n/)) {
    if (!commas) {
      if (line.trim()) items.push(line.trim());
      continue;
    }
    const records = parse(line, {
      columns: false,
      relaxQuotes: true,
      relaxColumnCount: true,
      skipEmptyLines: true,
      trim: true
    }) as string[][];
    for (const record of records) for (const item of record) if (item.trim()) items.push(item.trim());
  }
  return items;
}

/**
 * A list read as docker/build-push-action reads `secrets`, `secret-files` and `secret-envs`: the whole
 * input is CSV, so a quoted item may hold line breaks (a multi-line secret) and commas; the fields of a
 * record with several are joined back with commas. Items are trimmed; blank ones vanish. Throws on CSV
 * it cannot read (an unclosed quote) without echoing the input.
 */
export function parseQuotedList(value: string): string[] {
  if (!value.trim()) return [];
  let records: string[][];
  try {
    records = parse(value, { columns: false, relaxQuotes: true, relaxColumnCount: true, skipEmptyLines: true }) as string[][];
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new Error(`it is not a list of lines or quoted items${typeof code === 'string' ? ` (${code})` : ''}`);
  }
  return records.map((record) => record.join(',').trim()).filter(Boolean);
}
