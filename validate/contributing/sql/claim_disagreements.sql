-- One claim's rows of claim_conflicts, seen from the claim: the other claim of each pair, the
-- reason, and which of the two departs from the statistic's reading (this, other, both,
-- neither; charged names claim_b where only it departs). $claim: the claim_id.
SELECT
    CASE WHEN claim_a = $claim THEN claim_b ELSE claim_a END AS other,
    reason,
    CASE
        WHEN charged = 'claim_b' AND claim_b = $claim THEN 'this'
        WHEN charged = 'claim_b' THEN 'other'
        ELSE charged
    END AS departs
FROM claim_conflicts
WHERE $claim IN (claim_a, claim_b)
ORDER BY other, reason
