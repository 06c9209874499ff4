"""Every query Liftbot runs, as functions taking a keyword-only session (SQL lives only here).

Callers write `from storage import queries; queries.member_by_key(session=..., ...)`; this facade
re-exports the public functions of its modules, and storage.inserts' insert-or-ignore (one
row or many, written once for queries, inbox and outbox):
- members: communities, members, their levels, level tags and declared expertise.
- messages: message lookups, conversation windows, bulk updates, the export stream.
- help_requests: the one definition of an open help request, listed and counted.
- reports: the weekly report's aggregates (kinds, levels, response times, helpers, broadcasts).
- jobs: scheduled job runs claimed once across processes, and import runs.
- settings: per-community settings moderators chose (`/lift config`).
- moderation: level tags, corrections and forgetting a member (suppression and erasure).
- retention: erasing text, departed members' names, payloads and post bodies past a limit.
"""

from storage.inserts import insert_ignore, insert_many_ignore, insert_rows_ignore
from storage.queries.help_requests import count_open_requests, open_requests
from storage.queries.jobs import (
    claim_job_run,
    count_bot_posts,
    finish_import,
    job_run,
    mark_interrupted_imports,
    reclaim_failed_job_run,
    running_imports,
    set_job_run_status,
    start_import,
)
from storage.queries.members import (
    community_named,
    ensure_community,
    ensure_members,
    expertise_of,
    level_tags,
    list_communities,
    member_by_key,
    member_names,
    members_by_key,
    members_of,
    reachable_helpers,
    set_member_level,
)
from storage.queries.messages import (
    conversation_before,
    conversation_rows,
    count_messages,
    export_ids,
    export_rows,
    imported_span,
    insert_messages_returning_ids,
    latest_message_at,
    message_by_source,
    messages_by_source,
    sync_author_levels,
    update_messages,
)
from storage.queries.moderation import (
    corrections_of,
    count_corrections,
    erase_inbox_payloads,
    erase_member,
    forget_everywhere,
    is_suppressed,
    replace_correction,
    replace_level_tag,
    suppress_member,
    suppressed_among,
    suppressed_keys,
    suppression_digest,
)
from storage.queries.reports import (
    broadcasts_by_member,
    count_member_messages,
    help_counts_by_level,
    help_given_by_member,
    kind_counts,
    member_level_counts,
    response_percentiles,
    response_times,
    role_level_counts,
)
from storage.queries.retention import (
    departed_to_erase,
    erase_member_names,
    erase_payloads,
    erase_posts,
    erase_texts,
    former_member_label,
    payloads_to_erase,
    posts_to_erase,
    record_movements,
    texts_to_erase,
)
from storage.queries.settings import (
    community_settings,
    drop_community_setting,
    put_community_setting,
)

__all__ = [
    "broadcasts_by_member",
    "claim_job_run",
    "community_named",
    "community_settings",
    "conversation_before",
    "conversation_rows",
    "corrections_of",
    "count_bot_posts",
    "count_corrections",
    "count_member_messages",
    "count_messages",
    "count_open_requests",
    "departed_to_erase",
    "drop_community_setting",
    "ensure_community",
    "ensure_members",
    "erase_inbox_payloads",
    "erase_member",
    "erase_member_names",
    "erase_payloads",
    "erase_posts",
    "erase_texts",
    "expertise_of",
    "export_ids",
    "export_rows",
    "finish_import",
    "forget_everywhere",
    "former_member_label",
    "help_counts_by_level",
    "help_given_by_member",
    "imported_span",
    "insert_ignore",
    "insert_many_ignore",
    "insert_messages_returning_ids",
    "insert_rows_ignore",
    "is_suppressed",
    "job_run",
    "kind_counts",
    "latest_message_at",
    "level_tags",
    "list_communities",
    "mark_interrupted_imports",
    "member_by_key",
    "member_level_counts",
    "member_names",
    "members_by_key",
    "members_of",
    "message_by_source",
    "messages_by_source",
    "open_requests",
    "payloads_to_erase",
    "posts_to_erase",
    "put_community_setting",
    "reachable_helpers",
    "reclaim_failed_job_run",
    "record_movements",
    "replace_correction",
    "replace_level_tag",
    "response_percentiles",
    "response_times",
    "role_level_counts",
    "running_imports",
    "set_job_run_status",
    "set_member_level",
    "start_import",
    "suppress_member",
    "suppressed_among",
    "suppressed_keys",
    "suppression_digest",
    "sync_author_levels",
    "texts_to_erase",
    "update_messages",
]
