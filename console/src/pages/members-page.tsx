import { useParams } from "react-router";
import { MemberSearch } from "../members/member-search";
import { MemberView } from "../members/member-view";
import "../figures.css";
import "../members/members.css";

/** Find a member by id or e-mail; with a member id in the path, their 360° view under the search. */
export function MembersPage() {
  const { memberId } = useParams();
  return (
    <>
      <h1>Members</h1>
      <MemberSearch initial={memberId ?? ""} />
      {memberId !== undefined && <MemberView key={memberId} memberId={memberId} />}
    </>
  );
}
