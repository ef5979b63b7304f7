// Collects Content-Security-Policy violations reported while the scenarios run (the webviews run
// under default-src 'none'; a blocked style or script there is a bug that looks fine at a glance).
export function watchCspViolations(page) {
  const violations = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text()))
      violations.push(`${msg.location().url}: ${msg.text()}`);
  });
  return async function noCspViolations() {
    if (violations.length > 0)
      throw new Error(`${violations.length} CSP violation(s):\n      ${violations.slice(0, 5).join('\n      ')}`);
  };
}
