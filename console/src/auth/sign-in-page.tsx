import { useEffect, useState } from "react";
import { Navigate, useLocation } from "react-router";
import { useConsole } from "../console-context";
import { completeCognitoSignIn, signInLocally, signInWithCognito } from "./session";

/** Locally: a marketer name and the local token path. Deployed: Cognito's Hosted UI (code + PKCE). */
export function SignInPage() {
  const { config, session, setSession } = useConsole();
  const location = useLocation();
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const auth = config.auth;

  useEffect(() => {
    if (auth.mode !== "cognito") return;
    completeCognitoSignIn(auth).then(
      (completed) => completed && setSession(completed),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [auth, setSession]);

  if (session)
    return <Navigate to={(location.state as { from?: string } | null)?.from ?? "/program"} replace />;

  return (
    <main className="sign-in">
      <h1>Sign in to the Patron console</h1>
      {auth.mode === "local" ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setError(undefined);
            signInLocally(auth.tokenUrl, name.trim()).then(setSession, (e: unknown) =>
              setError(e instanceof Error ? e.message : String(e)),
            );
          }}
        >
          <label htmlFor="marketer-name">Marketer name</label>
          <input
            id="marketer-name"
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            autoComplete="username"
          />
          <button type="submit" disabled={name.trim() === ""}>
            Sign in
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => void signInWithCognito(auth)}>
          Sign in with your company account
        </button>
      )}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
