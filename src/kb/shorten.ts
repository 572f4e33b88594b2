/**
 * Fits a passage into a channel's message length: whole sentences (or list lines) from the start, cut at the last
 * sentence end that fits; if even the first sentence is too long, cut at a word and end with an ellipsis.
 */
const ELLIPSIS = '…';

export function shorten(text: string, maxLength: number): string {
  const clean = text.trim();
  if (clean.length <= maxLength) return clean;
  if (maxLength <= 1) return clean.slice(0, Math.max(0, maxLength));
  const window = clean.slice(0, maxLength + 1);
  // A sentence ends at . ! ? (optionally followed by a closing quote or bracket) before a space, or at a line end.
  const boundary = /[.!?…]["'”’)\]]*(?=\s)|\n/g;
  let cut = -1;
  for (let m = boundary.exec(window); m; m = boundary.exec(window)) {
    const end = m[0] === '\n' ? m.index : m.index + m[0].length;
    if (end <= maxLength && end > 0) cut = end;
  }
  // A boundary that keeps under a third of the room throws too much away: cut at a word instead.
  if (cut >= maxLength / 3) return clean.slice(0, cut).trimEnd().replace(/[:;,]$/, '.');
  const room = clean.slice(0, maxLength - ELLIPSIS.length);
  const space = room.search(/\s\S*$/);
  return `${(space > 0 ? room.slice(0, space) : room).trimEnd().replace(/[,;:.]$/, '')}${ELLIPSIS}`;
}
