import { defineConfig } from "@playwright/test";

// Browser tests (test/browser/) in the system's Chromium, never a downloaded browser: CHROMIUM_PATH, else
// Debian's /usr/bin/chromium (.ci/run installs it). The global setup starts DynamoDB Local, SES local and the
// local HTTP API on free ports; one worker, as the tests share that platform and two cores.

export default defineConfig({
  testDir: "test/browser",
  testMatch: "**/*.spec.ts",
  globalSetup: "./test/browser/global-setup.ts",
  outputDir: ".tmp-playwright",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: { headless: true, trace: "retain-on-failure" },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
});
