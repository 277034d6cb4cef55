/** Escaping for the HTML reports (a run's, a sweep's): every user string goes through it. */

/**
 * Escapes text for HTML element content and attribute values.
 * @example
 * escapeHtml('<a & b>') // '&lt;a &amp; b&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
