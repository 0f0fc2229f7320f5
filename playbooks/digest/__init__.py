"""The e-mail digest: periods (pure), what a user's digest holds, sending it once per period,
the one-click unsubscribe."""
