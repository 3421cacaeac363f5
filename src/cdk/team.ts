// The Team construct: the owner of fabrics, whose members may send mail through their connections.
// Declares the same data as a YAML `teams:` entry.
import { Construct } from "constructs";
import type * as Decl from "../generated/Fabricate.js";
import { StackDeclarations, type DeclaredTeam } from "./stackDeclarations.js";

const teamSymbol = Symbol.for("fabricate/cdk.Team");

export interface TeamProps {
  /**
   * The team's name: a slug (lower-case letters, digits, '-' and '_'), unique among teams.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * What the team does, for people reading the config.
   * @default no description
   */
  readonly description?: string;
  /**
   * E-mail addresses of the people who may send mail through this team's connections.
   * @default no members
   */
  readonly members?: readonly string[];
  /**
   * GitHub users (@user) or teams (@org/team) whose review a change to this team's fabrics needs.
   * @default no reviewers
   */
  readonly reviewers?: readonly string[];
}

export class Team extends Construct implements DeclaredTeam {
  /** By symbol rather than instanceof, so that it holds across copies of this module. */
  static isTeam(x: unknown): x is Team {
    return x !== null && typeof x === "object" && teamSymbol in x;
  }

  readonly name: string;

  constructor(scope: Construct, id: string, private readonly props: TeamProps = {}) {
    super(scope, id);
    Object.defineProperty(this, teamSymbol, { value: true });
    this.name = props.name ?? id;
    StackDeclarations.of(this).addTeam(this);
  }

  teamDeclaration(): Decl.Team {
    const p = this.props;
    return {
      name: this.name,
      ...(p.description !== undefined && { description: p.description }),
      ...(p.members !== undefined && { members: [...p.members] }),
      ...(p.reviewers !== undefined && { reviewers: [...p.reviewers] }),
    };
  }
}
