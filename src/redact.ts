/** The URL with any user:password replaced, for logs and error messages (feed and store URLs alike). */
export function redactUrl(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(typeof url === 'string' ? url : url.href);
  } catch {
    // Not parseable: blank anything between '//' and the last '@' before the path.
    return String(url).replace(/\/\/[^/?#]*@/, '//[redacted]@');
  }
  if (parsed.username === '' && parsed.password === '') return parsed.href;
  return `${parsed.protocol}//[redacted]@${parsed.host}${parsed.pathname}${parsed.search}${parsed.hash}`;
}
