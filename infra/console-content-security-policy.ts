/**
 * Content-Security-Policy of the marketer console: its own scripts, styles and images only, API and sign-in
 * calls to `connect`. One definition for the CloudFront distribution (infra/console-hosting.ts) and the local
 * platform (scripts/local/console-site.ts), so the two cannot drift apart.
 */
export function consoleContentSecurityPolicy(connect: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self'${connect.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join("; ");
}
