"""CLI commands for target proposals: propose, list, decide (signed as a user)."""

from __future__ import annotations

import click

from rba.cli.common import refused, signed_in, store, where_pairs
from rba.services import targets


@click.group("targets")
def targets_group() -> None:
    """Targets proposed by result teams and decided by coordinators.

    Example: rba targets list --status proposed
    """


@targets_group.command("propose")
@click.argument("code")
@click.argument("period")
@click.argument("value", type=float)
@click.option("--as", "email", required=True, help="Your email (a team member, coordinator "
              "or admin); the password comes from RBA_PASSWORD or a prompt.")
@click.option("--where", "where", multiple=True, metavar="DIM=VALUE",
              help="The group the target is for (repeatable); default: the total.")
@click.option("--rationale", help="Why this target.")
def targets_propose(code: str, period: str, value: float, email: str, where: tuple[str, ...],
                    rationale: str | None) -> None:
    """Propose a target for a coordinator to accept or decline.

    Example: rba targets propose grad_rate 2027-28 92 --as team@demo.rba --rationale "Board goal"
    """
    with store() as session:
        actor = signed_in(session, email)
        with refused():
            proposal = targets.propose_target(session=session, code=code, period=period,
                                              value=value, actor=actor, rationale=rationale,
                                              groups=where_pairs(where), source="cli")
        number = proposal.id
    click.echo(f"proposed as #{number}: a coordinator accepts it with "
               f"`rba targets decide {number} --accept --as EMAIL`")


@targets_group.command("list")
@click.option("--status", type=click.Choice(["proposed", "accepted", "declined"]))
def targets_list(status: str | None) -> None:
    """List target proposals, newest first.

    Example: rba targets list --status proposed
    """
    with store() as session:
        frame = targets.proposals(session=session, status=status)
    for r in frame.to_dict("records"):
        click.echo(f"#{r['id']:<4} {r['status']:<9} {r['indicator']} {r['period']} "
                   f"{r['dimensions']} -> {r['value']:g}  by {r['proposed_by']}"
                   + (f"  ({r['rationale']})" if r["rationale"] else ""))
    click.echo(f"{len(frame)} proposal(s)", err=True)


@targets_group.command("decide")
@click.argument("number", type=int)
@click.option("--accept/--decline", required=True, help="Accept (the target is written) or "
              "decline.")
@click.option("--as", "email", required=True, help="A coordinator's or admin's email.")
@click.option("--reason", help="Why; kept with the decision and in the audit trail.")
def targets_decide(number: int, accept: bool, email: str, reason: str | None) -> None:
    """Accept or decline a proposed target (coordinators and admins; audited).

    Example: rba targets decide 3 --accept --as coordinator@demo.rba
    """
    with store() as session:
        actor = signed_in(session, email)
        with refused():
            batch = targets.decide_proposal(session=session, proposal_id=number,
                                            accept=accept, actor=actor, reason=reason,
                                            source="cli")
    click.echo(f"accepted #{number} as batch {batch}" if accept else f"declined #{number}")


COMMANDS = [targets_group]
