# A charge line's explanation in one sentence (results page, charges export).

explain-area = площадь { $area } м²
explain-initial = начальное { $value }
explain-meter = { $serial }: { $previous } → { $period } { $current } ({ $consumption } м³)
explain-meter-no-reading = { $serial }: { $previous } → нет показания за { $period } (добавляет 0 м³)

# По правилам ПП 354: как найден объём каждого счётчика.
explain-base = { $value } за { $month }
explain-actual = { $serial } по показаниям: { $reading } − { $base } = { $volume } м³
explain-actual-estimated = { $serial } по показаниям: { $reading } − { $total } ({ $base } + { $estimated } по оценке за { $first } – { $last }) = { $volume } м³
explain-average = { $serial } по среднему за { $span } мес.: ({ $to } − { $from }) / { $span } = { $volume } м³
explain-meter-normative = { $serial } { $normative }
explain-normative = по нормативу: { $people } × { $normative } м³ = { $volume } м³
explain-share = по нормативу: { $people } × { $normative } м³ / { $meters } сч. = { $volume } м³
explain-share-raised = по нормативу: { $people } × { $normative } м³ / { $meters } сч. = { $volume } м³ × К { $k }
explain-normative-raised = по нормативу: { $people } × { $normative } м³ = { $volume } м³ × К { $k }
explain-residents = { $count } чел.
explain-owners = { $count } собств.
explain-sum = ХВС { $cold } + ГВС { $hot } = { $volume } м³
explain-recalculation = перерасчёт: { $note }
