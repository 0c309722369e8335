# A charge line's explanation in one sentence (results page, the API's note, charges export).

explain-area = area { $area } m²
explain-initial = initial { $value }
explain-meter = { $serial }: { $previous } → { $period } { $current } ({ $consumption } m³)
explain-meter-no-reading = { $serial }: { $previous } → no reading for { $period } (adds 0 m³)

# Under the rules of ПП 354: how each meter's volume was found.
explain-base = { $value } for { $month }
explain-actual = { $serial } by readings: { $reading } − { $base } = { $volume } m³
explain-actual-estimated = { $serial } by readings: { $reading } − { $total } ({ $base } + { $estimated } estimated for { $first } – { $last }) = { $volume } m³
explain-average = { $serial } by average over { $span } months: ({ $to } − { $from }) / { $span } = { $volume } m³
explain-meter-normative = { $serial } { $normative }
explain-normative = by normative: { $people } × { $normative } m³ = { $volume } m³
explain-share = by normative: { $people } × { $normative } m³ / { $meters } meters = { $volume } m³
explain-share-raised = by normative: { $people } × { $normative } m³ / { $meters } meters = { $volume } m³ × K { $k }
explain-normative-raised = by normative: { $people } × { $normative } m³ = { $volume } m³ × K { $k }
explain-residents = { $count ->
    [one] { $count } resident
   *[other] { $count } residents
}
explain-owners = { $count ->
    [one] { $count } owner
   *[other] { $count } owners
}
explain-sum = cold { $cold } + hot { $hot } = { $volume } m³
explain-recalculation = recalculation: { $note }
