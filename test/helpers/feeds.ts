/** Small RSS documents for pipeline tests, built from plain objects. */
export interface TestItem {
  guid?: string;
  title: string;
  description?: string;
  link?: string;
  /** Epoch ms; omitted → no pubDate element. */
  published?: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function rss(items: TestItem[], options: { title?: string; language?: string } = {}): string {
  const body = items
    .map((item) =>
      [
        '<item>',
        `<title>${escape(item.title)}</title>`,
        item.guid ? `<guid isPermaLink="false">${escape(item.guid)}</guid>` : '',
        item.link ? `<link>${escape(item.link)}</link>` : '',
        item.description ? `<description>${escape(item.description)}</description>` : '',
        item.published === undefined ? '' : `<pubDate>${new Date(item.published).toUTCString()}</pubDate>`,
        '</item>',
      ].join(''),
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>${escape(options.title ?? 'Test feed')}</title><link>https://outlet.example/</link>
<language>${options.language ?? 'en'}</language>
${body}
</channel></rss>`;
}
