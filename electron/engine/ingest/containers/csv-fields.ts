/**
 * Split one CSV row (already cut out by CsvRowSplitter, so quotes are balanced) into cells.
 * Same rules as the splitter: a quote opens a quoted field only at the start of a field; after
 * the closing quote, anything up to the next delimiter is kept literally (lenient, like Excel).
 */
export function splitCsvRow(text: string, delimiter: string): string[] {
  if (!text.includes('"')) return text.split(delimiter);
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    let cell = '';
    if (text.charCodeAt(i) === 0x22) {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          cell += text.slice(i);
          i = text.length;
          break;
        }
        cell += text.slice(i, quote);
        if (text.charCodeAt(quote + 1) === 0x22) {
          cell += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
    }
    const next = text.indexOf(delimiter, i);
    if (next === -1) {
      cells.push(cell + text.slice(i));
      return cells;
    }
    cells.push(cell + text.slice(i, next));
    i = next + delimiter.length;
  }
}

/** Header names: trimmed, blanks named `column_N`, repeats suffixed `name_2`, `name_3`, … */
export function normalizeHeader(cells: readonly string[]): string[] {
  const taken = new Set<string>();
  return cells.map((cell, index) => {
    const base = cell.trim() || `column_${index + 1}`;
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
}

/** A row as a null-prototype object; cells beyond the header go under `_extra1`, `_extra2`, … */
export function csvRowObject(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const row = Object.create(null) as Record<string, string>;
  const count = Math.min(header.length, cells.length);
  for (let i = 0; i < count; i++) row[header[i] as string] = cells[i] as string;
  let extra = 0;
  for (let i = header.length; i < cells.length; i++) {
    let key: string;
    do key = `_extra${++extra}`;
    while (key in row);
    row[key] = cells[i] as string;
  }
  return row;
}
