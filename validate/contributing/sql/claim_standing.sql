-- One claim's fidelity (claim_fidelity), for claims add-claim and edit-claim to tell the
-- contributor. $claim: the claim_id.
SELECT label, value_fidelity, qualifier_fidelity, period_fidelity
FROM claim_fidelity
WHERE claim_id = $claim
