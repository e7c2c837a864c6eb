/**
 * Feed parsing, part of parse.ts: lenient repair: parse as tolerant XML, find the feed root, re-serialise it well-formed.
 */
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';
import { formatFor, HTML_CARRIERS, notAFeed } from './parse-clean-text.js';
import { printableExcerpt } from '../safe-text.js';

type DomDocument = ReturnType<typeof parseDocument>;
type DomNode = DomDocument['children'][number];
type DomElement = Extract<DomNode, { attribs: Record<string, string> }>;
type FeedKind = 'rss' | 'rdf' | 'atom' | 'entry';

export interface RepairedTree {
  xml: string;
  format: string;
  repairs: string[];
}

const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);

/** `text` comes from cleanUpText, so its nesting is already bounded (nesting.ts). */
export function repairTree(text: string): RepairedTree {
  // htmlparser2 in xmlMode never rejects input: it closes what is left open at the end (truncated
  // documents), pops mismatched end tags, and keeps names, prefixes and CDATA as written.
  const document = parseDocument(text, { xmlMode: true });
  const top = document.children.find((node): node is DomElement => DomUtils.isTag(node));
  if (top === undefined) throw notAFeed('the document has no root element');
  const root = elementsUnder(document).find((element) => feedKindOf(element, top) !== null);
  const kind = root === undefined ? null : feedKindOf(root, top);
  if (root === undefined || kind === null) throw notAFeed(`the document's root element is <${printableExcerpt(top.name, 40)}>`);
  const repairs = ['lenient-reserialise'];
  if (root !== top) repairs.push('embedded-feed-root');
  removeCommentsAndDirectives(root);
  if (dropInvalidNames(root) > 0) repairs.push('dropped-invalid-names');
  if (escapeInlineMarkup(root) > 0) repairs.push('escaped-inline-markup');
  return kind === 'rss' || kind === 'rdf' ? rssTree(root, kind, repairs) : atomTree(root, kind, repairs);
}

function feedKindOf(element: DomElement, top: DomElement): FeedKind | null {
  const { prefix, local } = splitName(element.name);
  if (local === 'rss' && prefix === null) return 'rss';
  // RSS 1.0 is <rdf:RDF>; a bare <rdf>/<RDF> holding items is read the same way, but RDF that
  // carries no channel or item (FOAF, DOAP …) is data, not a feed.
  if (local.toLowerCase() === 'rdf') return hasDescendant(element, ['channel', 'item']) ? 'rdf' : null;
  if (local !== 'feed' && !(local === 'entry' && element === top)) return null;
  if (prefix !== null && !ATOM_NAMESPACES.has(namespaceOf(element, prefix) ?? '')) return null;
  return local === 'feed' ? 'atom' : 'entry';
}

function rssTree(root: DomElement, kind: 'rss' | 'rdf', repairs: string[]): RepairedTree {
  // rss-parser looks the RSS 1.0 root up by the literal name 'rdf:RDF'.
  if (kind === 'rdf' && root.name !== 'rdf:RDF') {
    root.name = 'rdf:RDF';
    repairs.push('renamed-rdf-root');
  }
  let channel = root.children.find((child): child is DomElement => isNamed(child, 'channel'));
  if (channel === undefined) {
    // rss-parser dereferences channel[0] unconditionally. RSS 2 keeps everything inside the
    // channel; RSS 1.0 keeps items beside it, so there the new channel stays empty.
    channel = newElement('channel');
    if (kind === 'rss') for (const child of [...root.children]) DomUtils.appendChild(channel, child);
    DomUtils.prependChild(root, channel);
    repairs.push('added-missing-channel');
  }
  // An unclosed element before the items (<itunes:category> without its end tag) swallows them
  // in the lenient parse; rss-parser only reads items that are children of channel (RSS 2) or root (RSS 1.0).
  if (hoistItems(kind === 'rss' ? channel : root) > 0) repairs.push('hoisted-nested-items');
  const format = kind === 'rdf' ? 'rss1' : formatFor('rss', root.attribs['version'] ?? '');
  return { xml: serialise(root), format, repairs };
}

function hoistItems(parent: DomElement): number {
  const nested = elementsUnder(parent).filter((element) => element.name === 'item' && element.parent !== parent);
  for (const item of nested) DomUtils.appendChild(parent, item);
  return nested.length;
}

function hasDescendant(element: DomElement, names: string[]): boolean {
  return elementsUnder(element).some((descendant) => names.includes(splitName(descendant.name).local));
}

/** htmlparser2 does not re-export domhandler's node classes; a one-node parse makes one. */
function newElement(name: string): DomElement {
  const element = parseDocument(`<${name}/>`, { xmlMode: true }).children[0];
  if (element === undefined || !DomUtils.isTag(element)) throw new Error(`could not create <${name}>`);
  return element;
}

function newText(data: string): DomNode & { data: string } {
  const text = parseDocument('x', { xmlMode: true }).children[0];
  if (text === undefined || !DomUtils.isText(text)) throw new Error('could not create a text node');
  text.data = data;
  return text;
}

function atomTree(root: DomElement, kind: 'atom' | 'entry', repairs: string[]): RepairedTree {
  const prefixed = root.name.includes(':');
  if (stripAtomPrefixes(root) > 0) repairs.push(prefixed ? 'namespaced-atom-root' : 'namespaced-atom-elements');
  const entries = kind === 'entry' ? [root] : root.children.filter((child): child is DomElement => isNamed(child, 'entry'));
  if (fixAtomLinks([root, ...entries]) > 0) repairs.push('atom-link-without-href');
  if (hideUnparseableDates(entries) > 0) repairs.push('unparseable-atom-dates');
  if (kind === 'atom') return { xml: serialise(root), format: 'atom', repairs };
  repairs.push('wrapped-atom-entry');
  return { xml: `<feed xmlns="http://www.w3.org/2005/Atom">${serialise(root)}</feed>`, format: 'atom', repairs };
}

/** `<a:feed xmlns:a="…Atom">`, `<p0:entry xmlns:p0="…Atom">`: rss-parser only knows unprefixed Atom names. */
function stripAtomPrefixes(root: DomElement): number {
  let renamed = 0;
  for (const element of [root, ...elementsUnder(root)]) {
    const { prefix, local } = splitName(element.name);
    if (prefix !== null && ATOM_NAMESPACES.has(namespaceOf(element, prefix) ?? '')) {
      element.name = local;
      renamed += 1;
    }
  }
  return renamed;
}

/** rss-parser reads `link.$.rel` on every Atom link and throws on a bare `<link>url</link>` or `<link/>`. */
function fixAtomLinks(parents: DomElement[]): number {
  let fixed = 0;
  for (const link of parents.flatMap((parent) => parent.children.filter((child): child is DomElement => isNamed(child, 'link')))) {
    if (Object.keys(link.attribs).length > 0) continue;
    const url = DomUtils.textContent(link).trim();
    if (url === '') DomUtils.removeElement(link);
    else link.attribs['href'] = url;
    link.children = [];
    fixed += 1;
  }
  return fixed;
}

/** rss-parser converts published/updated with `new Date(…).toISOString()`, which throws on a bad date and loses the whole feed. */
function hideUnparseableDates(entries: DomElement[]): number {
  let hidden = 0;
  for (const child of entries.flatMap((entry) => entry.children)) {
    if (!isNamed(child, 'published') && !isNamed(child, 'updated')) continue;
    const text = DomUtils.textContent(child).trim();
    if (text === '' || !Number.isNaN(Date.parse(text))) continue;
    child.name = `ww-unparsed-${child.name}`;
    hidden += 1;
  }
  return hidden;
}

/** Lenient parsing accepts tag and attribute names XML does not (`<img alt="a"" />` gives an attribute named `"`); rss-parser would reject them again. */
const XML_NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.:\u00B7\u00C0-\uFFFF-]*$/;

function dropInvalidNames(root: DomElement): number {
  let dropped = 0;
  for (const element of elementsUnder(root)) {
    for (const name of Object.keys(element.attribs)) {
      if (XML_NAME.test(name)) continue;
      delete element.attribs[name];
      dropped += 1;
    }
    if (XML_NAME.test(element.name)) continue;
    // Keep the content, lose the bogus tag.
    for (const child of [...element.children]) DomUtils.prepend(element, child);
    element.children = [];
    DomUtils.removeElement(element);
    dropped += 1;
  }
  return dropped;
}

function removeCommentsAndDirectives(root: DomElement): void {
  // A comment holding "--" or a stray <!DOCTYPE> inside the root would make the output ill-formed again.
  const unwanted = nodesUnder(root).filter((node) => node.type === ElementType.Comment || node.type === ElementType.Directive);
  for (const node of unwanted) DomUtils.removeElement(node);
}

/**
 * Turns HTML written as elements inside an HTML-carrying element into text, as if it had been
 * escaped: rss-parser's xml2js would otherwise hand back the text and the child elements
 * separately and out of order. Serialised in HTML mode, unclosed <br>/<img> come out as written.
 */
function escapeInlineMarkup(root: DomElement): number {
  let escaped = 0;
  for (const element of elementsUnder(root)) {
    if (!HTML_CARRIERS.has(element.name) || !element.children.some((child) => DomUtils.isTag(child))) continue;
    const html = DomUtils.getInnerHTML(element, { encodeEntities: 'utf8' });
    const text = newText(html);
    element.children = [text];
    text.parent = element;
    escaped += 1;
  }
  return escaped;
}

type DomParent = { children: DomNode[] };

/** Every node below `parent` in document order. An explicit stack: domutils' walkers shift and unshift theirs, which is quadratic in depth. */
function nodesUnder(parent: DomParent): DomNode[] {
  const nodes: DomNode[] = [];
  const stack = [...parent.children].reverse();
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    nodes.push(node);
    if ('children' in node) for (let index = node.children.length - 1; index >= 0; index--) stack.push(node.children[index] as DomNode);
  }
  return nodes;
}

function elementsUnder(parent: DomParent): DomElement[] {
  return nodesUnder(parent).filter((node): node is DomElement => DomUtils.isTag(node));
}

function serialise(root: DomElement): string {
  return DomUtils.getOuterHTML(root, { xmlMode: true });
}

function isNamed(node: DomNode, name: string): node is DomElement {
  return DomUtils.isTag(node) && node.name === name;
}

function splitName(name: string): { prefix: string | null; local: string } {
  const colon = name.indexOf(':');
  return colon === -1 ? { prefix: null, local: name } : { prefix: name.slice(0, colon), local: name.slice(colon + 1) };
}

/** The namespace URI a prefix is bound to at this element (nearest xmlns:prefix on it or an ancestor). */
function namespaceOf(element: DomElement, prefix: string): string | null {
  const attribute = `xmlns:${prefix}`;
  for (let node: DomNode | null = element; node !== null; node = node.parent as DomNode | null) {
    if (DomUtils.isTag(node) && node.attribs[attribute] !== undefined) return node.attribs[attribute];
  }
  return null;
}

