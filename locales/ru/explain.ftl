# A charge line's explanation in one sentence (results page, charges export).

explain-area = площадь { $area } м²
explain-initial = начальное { $value }
explain-meter = { $serial }: { $previous } → { $period } { $current } ({ $consumption } м³)
explain-meter-no-reading = { $serial }: { $previous } → нет показания за { $period } (добавляет 0 м³)
