// Light markdown for FAQ answers (paragraphs, "- " bullets, **bold**) with search highlights. The core's
// highlight spans are offsets in Unicode characters of the raw answer text (markers included), so the
// text is walked as code points, never UTF-16 units.
import { h, type Child } from './dom';
import type { Span } from './types';

/** `text` (code points `from..to` of the whole) with the parts inside `spans` wrapped in <mark>. */
function marked(chars: string[], from: number, to: number, spans: Span[]): Child[] {
  const out: Child[] = [];
  let at = from;
  for (const s of spans) {
    const start = Math.max(s.start, at);
    const end = Math.min(s.end, to);
    if (end <= start) continue;
    if (start > at) out.push(chars.slice(at, start).join(''));
    out.push(h('mark', {}, chars.slice(start, end).join('')));
    at = end;
  }
  if (at < to) out.push(chars.slice(at, to).join(''));
  return out;
}

/** Plain text with highlights (questions, suggestions). */
export function highlighted(text: string, spans: Span[]): Child[] {
  const chars = Array.from(text);
  return marked(chars, 0, chars.length, [...spans].sort((a, b) => a.start - b.start));
}

/** One line's inline content: runs between `**` markers alternate plain and bold. */
function inline(chars: string[], from: number, to: number, spans: Span[]): Child[] {
  const out: Child[] = [];
  let bold = false;
  let runStart = from;
  let i = from;
  const flush = (end: number) => {
    if (end > runStart) {
      const content = marked(chars, runStart, end, spans);
      out.push(bold ? h('strong', {}, content) : content);
    }
  };
  while (i < to) {
    if (chars[i] === '*' && chars[i + 1] === '*' && i + 1 < to) {
      flush(i);
      bold = !bold;
      i += 2;
      runStart = i;
    } else {
      i++;
    }
  }
  flush(to);
  return out;
}

/** An answer as paragraphs and lists. */
export function renderAnswer(text: string, spans: Span[] = []): HTMLElement {
  const chars = Array.from(text);
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const root = h('div', { class: 'answer' });
  let list: HTMLUListElement | null = null;
  let lineStart = 0;
  for (let i = 0; i <= chars.length; i++) {
    if (i < chars.length && chars[i] !== '\n') continue;
    let from = lineStart;
    const to = i;
    lineStart = i + 1;
    while (from < to && (chars[from] === ' ' || chars[from] === '\t')) from++;
    if (from >= to) {
      list = null;
      continue;
    }
    const bullet = (chars[from] === '-' || chars[from] === '*' || chars[from] === '•') && chars[from + 1] === ' ';
    if (bullet) {
      list ??= root.appendChild(h('ul'));
      list.appendChild(h('li', {}, inline(chars, from + 2, to, sorted)));
    } else {
      list = null;
      root.appendChild(h('p', {}, inline(chars, from, to, sorted)));
    }
  }
  return root;
}
