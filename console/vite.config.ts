import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The marketer console: served under /console/ on the API's origin (locally by `npm start`, deployed by
// CloudFront). `npm run console:dev` serves it with hot reload and forwards every API path to `npm start`.

const root = fileURLToPath(new URL(".", import.meta.url));
const apiTarget = process.env.PATRON_API_URL ?? "http://127.0.0.1:3000";

export default defineConfig({
  root,
  base: "/console/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: {
      // config.json is the platform's (where the API is, how to sign in); the rest of /console/ is Vite's.
      "/console/config.json": { target: apiTarget, changeOrigin: true },
      "^/(?!console/)": { target: apiTarget, changeOrigin: true },
    },
  },
});
