export function VersionsPage() {
  return <h1>Versions</h1>;
}
