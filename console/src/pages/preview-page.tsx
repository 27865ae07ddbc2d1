export function PreviewPage() {
  return <h1>Preview</h1>;
}
