# Расчётные периоды дома: закрытие и повторное открытие месяца.

period-closed-notice = Период за { $month } закрыт: показания, расчёты и начисления за него не меняются.
period-close = Закрыть период
period-close-confirm = Закрыть период за { $month }? Показания, расчёты и начисления за него больше не изменятся.
period-close-hint = Закройте месяц, когда квитанции за него разосланы.
period-reopen = Открыть период заново
period-reopen-confirm = Открыть период за { $month } заново? Его снова можно будет пересчитать.
period-closed-flash = Период за { $month } закрыт.
period-reopened-flash = Период за { $month } снова открыт.
period-month-closed = { $month } · закрыт
period-current = Расчётный период: { $month }
period-closed-through = Закрыт по { $month } включительно
