# A charge line's explanation in one sentence (results page, the API's note, charges export).

explain-area = area { $area } m²
explain-initial = initial { $value }
explain-meter = { $serial }: { $previous } → { $period } { $current } ({ $consumption } m³)
explain-meter-no-reading = { $serial }: { $previous } → no reading for { $period } (adds 0 m³)
