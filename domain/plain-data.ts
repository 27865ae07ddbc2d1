/**
 * A deep copy of plain data: objects, arrays and primitives, as member state and profiles are (they are stored
 * as JSON). Every use case copies the state it changes, so this runs on every event; structuredClone does the
 * same for such values at about ten times the cost (it serialises), and nothing here needs what it adds
 * (Dates, Maps, cycles).
 */
export function copyData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyData) as T;
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      // JSON.parse keeps "__proto__" as an own key; assigning it would set the copy's prototype instead.
      if (key === "__proto__") {
        Object.defineProperty(copy, key, {
          value: copyData(field),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else copy[key] = copyData(field);
    }
    return copy as T;
  }
  return value;
}
