# A house's billing periods: closing a month and reopening it.

period-closed-notice = { $month } is closed: its readings, runs and charges no longer change.
period-close = Close the month
period-close-confirm = Close { $month }? Its readings, runs and charges will no longer change.
period-close-hint = Close the month once its receipts are out.
period-reopen = Reopen the month
period-reopen-confirm = Reopen { $month }? It can then be billed again.
period-closed-flash = { $month } is closed.
period-reopened-flash = { $month } is open again.
period-month-closed = { $month } · closed
period-current = Billing period: { $month }
period-closed-through = Closed through { $month }
