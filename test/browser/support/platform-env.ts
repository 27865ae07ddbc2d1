// What the browser tests' global setup started, handed to the test workers in environment variables (Playwright
// runs global setup in the runner process and the tests in workers it starts afterwards, with its environment).

const NAMES = {
  apiUrl: "PATRON_BROWSER_API_URL",
  busUrl: "PATRON_BROWSER_BUS_URL",
  dynamoEndpoint: "PATRON_BROWSER_DYNAMODB_ENDPOINT",
  sesEndpoint: "PATRON_BROWSER_SES_ENDPOINT",
  tableName: "PATRON_BROWSER_TABLE",
} as const;

export type PlatformEnv = Record<keyof typeof NAMES, string>;

export function exportPlatformEnv(env: PlatformEnv): void {
  for (const [key, name] of Object.entries(NAMES)) process.env[name] = env[key as keyof PlatformEnv];
}

export function platformEnv(): PlatformEnv {
  const read = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the browser tests with \`npx playwright test\``);
    return value;
  };
  return {
    apiUrl: read(NAMES.apiUrl),
    busUrl: read(NAMES.busUrl),
    dynamoEndpoint: read(NAMES.dynamoEndpoint),
    sesEndpoint: read(NAMES.sesEndpoint),
    tableName: read(NAMES.tableName),
  };
}
