"""Forms for the site's pages (GOV.UK markup, GOV.UK error messages), by topic.

The forms only read and check what was typed; every write goes through
`workstreams.services`, whose ValidationErrors `common.add_service_errors` turns
into form errors so the GOV.UK error summary lists them. A rule about one row
(the order of its dates, say) is the model's ``clean()``, reached through the
service (ADR 5), never repeated here.
"""
