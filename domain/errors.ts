// Typed failures of the use cases. Handlers map `code` to an HTTP status or a dead-letter reason;
// a failed use case never returns a partially changed state.

export type DomainErrorCode =
  | "INSUFFICIENT_POINTS"
  | "REWARD_UNAVAILABLE"
  | "REWARD_LIMIT_REACHED"
  | "UNKNOWN_MEMBER"
  | "INVALID_FACTS";

export abstract class DomainError extends Error {
  protected constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    // The class's name is its code in PascalCase; spelled out here because a minifier renames classes.
    this.name = code.toLowerCase().replace(/(?:^|_)([a-z])/g, (_, letter: string) => letter.toUpperCase());
  }
}

export class InsufficientPoints extends DomainError {
  constructor(
    readonly required: number,
    readonly available: number,
  ) {
    super("INSUFFICIENT_POINTS", `needs ${required} points but only ${available} are spendable`);
  }
}

export class RewardUnavailable extends DomainError {
  constructor(
    readonly rewardId: string,
    why: string,
  ) {
    super("REWARD_UNAVAILABLE", `reward ${rewardId} is not available: ${why}`);
  }
}

export class RewardLimitReached extends DomainError {
  constructor(
    readonly rewardId: string,
    readonly limit: number,
  ) {
    super("REWARD_LIMIT_REACHED", `reward ${rewardId} may be redeemed at most ${limit} time(s) per member`);
  }
}

export class UnknownMember extends DomainError {
  constructor(readonly memberId: string) {
    super(
      "UNKNOWN_MEMBER",
      `member ${memberId} is not enrolled and the program does not auto-enrol unknown members`,
    );
  }
}

/** The facts handed to a use case contradict each other or the program (e.g. a refund of more than was bought). */
export class InvalidFacts extends DomainError {
  constructor(
    readonly field: string,
    why: string,
  ) {
    super("INVALID_FACTS", `${field}: ${why}`);
  }
}
