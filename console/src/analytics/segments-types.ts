import type { components } from "../api/openapi";

/** The last analytics run as GET /segments answers it. */
export type SegmentsSnapshot = components["schemas"]["GetSegmentsResponse"];
