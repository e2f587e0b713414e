/**
 * A deliberately simple RFC 4180 reader for tests (quoted cells, doubled quotes, CRLF rows), so
 * normalizer tests do not depend on the production CSV reader they sit beside.
 */
export function csvRows(text: string): Record<string, unknown>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell.replace(/\r$/, ''));
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  const [header = [], ...body] = rows;
  return body.map((cells) => {
    const obj = Object.create(null) as Record<string, unknown>;
    header.forEach((name, i) => (obj[name] = cells[i] ?? ''));
    return obj;
  });
}
