import { useMemo, useState } from "react";
import { createBrowserRouter, Navigate, RouterProvider } from "react-router";
import { createApiClient } from "./api/client";
import { type Session, signOut, storedSession } from "./auth/session";
import { SignInPage } from "./auth/sign-in-page";
import type { ConsoleConfig } from "./config";
import { ConsoleContext } from "./console-context";
import { Layout } from "./layout";
import { CampaignsPage } from "./pages/campaigns-page";
import { KpisPage } from "./pages/kpis-page";
import { MembersPage } from "./pages/members-page";
import { PreviewPage } from "./pages/preview-page";
import { ProgramPage } from "./pages/program-page";
import { SegmentsPage } from "./pages/segments-page";
import { VersionsPage } from "./pages/versions-page";

const router = createBrowserRouter(
  [
    { path: "/sign-in", element: <SignInPage /> },
    {
      path: "/",
      element: <Layout />,
      children: [
        { index: true, element: <Navigate to="/program" replace /> },
        { path: "program", element: <ProgramPage /> },
        { path: "preview", element: <PreviewPage /> },
        { path: "versions", element: <VersionsPage /> },
        { path: "members", element: <MembersPage /> },
        { path: "members/:memberId", element: <MembersPage /> },
        { path: "campaigns", element: <CampaignsPage /> },
        { path: "segments", element: <SegmentsPage /> },
        { path: "kpis", element: <KpisPage /> },
      ],
    },
  ],
  { basename: "/console" },
);

export function App({ config }: { config: ConsoleConfig }) {
  const [session, setStoredSession] = useState<Session | undefined>(storedSession);
  const value = useMemo(() => {
    const api = createApiClient({ baseUrl: config.apiUrl, token: () => storedSession()?.accessToken });
    const setSession = (next: Session | undefined) => {
      if (!next) signOut();
      setStoredSession(next);
    };
    return { config, api, session, setSession };
  }, [config, session]);
  return (
    <ConsoleContext.Provider value={value}>
      <RouterProvider router={router} />
    </ConsoleContext.Provider>
  );
}
