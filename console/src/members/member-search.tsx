import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { unwrap } from "../api/client";
import { useApi } from "../console-context";

// One box for both ways a marketer knows a member: an address (it has an "@") is looked up by e-mail, anything
// else is taken as the member id and opened directly (the 360° view says when there is no such member).

type Lookup =
  | { state: "idle" }
  | { state: "searching" }
  | { state: "none"; email: string }
  | { state: "several"; email: string; memberIds: string[] }
  | { state: "failed"; message: string };

export function MemberSearch({ initial }: { initial: string }) {
  const api = useApi();
  const navigate = useNavigate();
  const [query, setQuery] = useState(initial);
  const [lookup, setLookup] = useState<Lookup>({ state: "idle" });

  const search = async (text: string) => {
    if (!text.includes("@")) {
      setLookup({ state: "idle" });
      navigate(`/members/${encodeURIComponent(text)}`);
      return;
    }
    setLookup({ state: "searching" });
    try {
      const { members } = unwrap(await api.GET("/members", { params: { query: { email: text } } }));
      const [only] = members;
      if (members.length === 1 && only) {
        setLookup({ state: "idle" });
        navigate(`/members/${encodeURIComponent(only.memberId)}`);
      } else if (members.length === 0) setLookup({ state: "none", email: text });
      else setLookup({ state: "several", email: text, memberIds: members.map((m) => m.memberId) });
    } catch (error) {
      setLookup({ state: "failed", message: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <search aria-label="Find a member" className="card">
      <form
        className="member-search"
        onSubmit={(event) => {
          event.preventDefault();
          const text = query.trim();
          if (text !== "") void search(text);
        }}
      >
        <div>
          <label htmlFor="member-query">Member id or e-mail</label>
          <input
            id="member-query"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" disabled={query.trim() === "" || lookup.state === "searching"}>
          Find member
        </button>
      </form>
      <div aria-live="polite">
        {lookup.state === "searching" && <p>Searching…</p>}
        {lookup.state === "none" && (
          <p className="notice">No member has the e-mail address {lookup.email}.</p>
        )}
        {lookup.state === "several" && (
          <>
            <p>
              {lookup.memberIds.length} members have the e-mail address {lookup.email}:
            </p>
            <ul>
              {lookup.memberIds.map((id) => (
                <li key={id}>
                  <Link to={`/members/${encodeURIComponent(id)}`}>{id}</Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      {lookup.state === "failed" && <p role="alert">Search failed: {lookup.message}</p>}
    </search>
  );
}
