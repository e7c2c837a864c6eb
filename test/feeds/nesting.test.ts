import { describe, expect, it } from 'vitest';
import { flattenDeepNesting } from '../../src/feeds/nesting.js';

describe('flattenDeepNesting at its bound (limit 3)', () => {
  it.each([
    ['nested as deep as the bound', '<a><a><a>x</a></a></a>', 'xml', '<a><a><a>x</a></a></a>', 0],
    ['one level past it: that start tag and its end tag go', '<a><a><a><a>x</a></a></a></a>', 'xml', '<a><a><a>x</a></a></a>', 2],
    ['names starting in capitals or "_" count as start tags', '<_a><B><c><d>x</d></c></B></_a>', 'xml', '<_a><B><c>x</c></B></_a>', 2],
    ['end tags, comments, declarations and a bare "<" do not deepen', '</a></a></a></a><!-- --><!x><?p?> < <a>x</a>', 'xml', '</a></a></a></a><!-- --><!x><?p?> < <a>x</a>', 0],
    ['tags inside CDATA are text', '<r><![CDATA[<a><a><a><a>]]></r>', 'xml', '<r><![CDATA[<a><a><a><a>]]></r>', 0],
    ['HTML void elements are leaves', '<br><br><br><br><img src=x><p>x</p>', 'html', '<br><br><br><br><img src=x><p>x</p>', 0],
  ] as const)('%s', (_name, text, mode, expected, droppedTags) => {
    expect(flattenDeepNesting(text, 3, mode)).toEqual({ text: expected, droppedTags });
  });
});
