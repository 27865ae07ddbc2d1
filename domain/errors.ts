// Typed failures of the use cases. Handlers map `code` to an HTTP status or a dead-letter reason;
// a failed use case never returns a partially changed state.

export type DomainErrorCode =
  | "INSUFFICIENT_POINTS"
  | "REWARD_UNAVAILABLE"
  | "REWARD_LIMIT_REACHED"
  | "UNKNOWN_MEMBER"
  | "INVALID_FACTS";

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

export class InsufficientPoints extends DomainError {
  readonly code = "INSUFFICIENT_POINTS";
  constructor(
    readonly required: number,
    readonly available: number,
  ) {
    super(`needs ${required} points but only ${available} are spendable`);
    this.name = "InsufficientPoints";
  }
}

export class RewardUnavailable extends DomainError {
  readonly code = "REWARD_UNAVAILABLE";
  constructor(
    readonly rewardId: string,
    why: string,
  ) {
    super(`reward ${rewardId} is not available: ${why}`);
    this.name = "RewardUnavailable";
  }
}

export class RewardLimitReached extends DomainError {
  readonly code = "REWARD_LIMIT_REACHED";
  constructor(
    readonly rewardId: string,
    readonly limit: number,
  ) {
    super(`reward ${rewardId} may be redeemed at most ${limit} time(s) per member`);
    this.name = "RewardLimitReached";
  }
}

export class UnknownMember extends DomainError {
  readonly code = "UNKNOWN_MEMBER";
  constructor(readonly memberId: string) {
    super(`member ${memberId} is not enrolled and the program does not auto-enrol unknown members`);
    this.name = "UnknownMember";
  }
}

/** The facts handed to a use case contradict each other or the program (e.g. a refund of more than was bought). */
export class InvalidFacts extends DomainError {
  readonly code = "INVALID_FACTS";
  constructor(
    readonly field: string,
    why: string,
  ) {
    super(`${field}: ${why}`);
    this.name = "InvalidFacts";
  }
}
