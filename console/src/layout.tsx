import { Navigate, NavLink, Outlet, useLocation } from "react-router";
import { hostedUiLogoutUrl } from "./auth/logout-url";
import { useConsole } from "./console-context";

const PAGES = ["Program", "Preview", "Versions", "Members", "Campaigns", "Segments", "KPIs"] as const;

/** The signed-in frame: the navigation landmark, who is signed in, and the page. */
export function Layout() {
  const { config, session, setSession } = useConsole();
  const location = useLocation();
  if (!session) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return (
    <div className="frame">
      <header className="topbar">
        <span className="brand">Patron console</span>
        <nav aria-label="Console">
          {PAGES.map((page) => (
            <NavLink key={page} to={`/${page.toLowerCase()}`}>
              {page}
            </NavLink>
          ))}
        </nav>
        <span className="who">
          {session.name}{" "}
          <button
            type="button"
            className="link"
            onClick={() => {
              setSession(undefined);
              const logout = hostedUiLogoutUrl(config.auth);
              if (logout) window.location.assign(logout);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
