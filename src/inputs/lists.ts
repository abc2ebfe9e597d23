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
