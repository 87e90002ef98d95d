from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from workstreams.demo import demo_accounts_create


class Command(BaseCommand):
    help = (
        "Create (or reset) one demo account per role — officer, oversight member, "
        "a chair per workstream, a partner — and print their new passwords. "
        "For trying the product only: refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Create demo accounts even though DEBUG is off.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: demo accounts do not belong on a live site. "
                "Use --force if you really mean it."
            )
        accounts = demo_accounts_create()
        width = max(len(a.username) for a in accounts)
        self.stdout.write(self.style.SUCCESS("Demo accounts (passwords are new):"))
        self.stdout.write(f"  {'username':<{width}}  {'password':<16}  role — scope")
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password:<16}  "
                f"{account.role} — {account.scope}"
            )
        self.stdout.write(
            "Sign in to the site at http://127.0.0.1:8000/accounts/login/ (any "
            "account); officers also administer at http://127.0.0.1:8000/admin/."
        )
