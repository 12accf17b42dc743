# Tally of scripts/chaos.sh: joins, per call, what the SIPp patient saw, what the SIPp phones, secretariat and mobiles
# saw (by the caller number in From), and the engine's call record and voicemail index (by caller number).
# Input lines, patients' and peers' sorted by time:
#   P CLASS CALLER EVENT SEC USEC [DETAIL]       patient: invite answered cut hangup done final pressed-9
#   PEER CALLER EVENT SEC USEC CALLED [DIVERSION] phone (practice.phone) or carrier: invite answered pressed-1 bye cancel
#   E|R|CALLER|CALL_ID|CALLED|OUTCOME|ANSWERED_BY|HUNG_UP_BY|STEPS   a call record
#   E|V|CALLER|ID|BOX|DURATION|RECORDING|CALL_ID                     a voicemail message
#   X EPOCH WORDS...                                                 the run's events (faults)
# Output: one line per class, the lost calls with their reasons, then "lost: N".
function t(s, us) { return s + us / 1000000 }
function fmt(x) { return sprintf("%.1f", x) }
function kindof(l) {
  if (lpeer[l] != "carrier") { p = lpeer[l]; sub(/^[^.]*\./, "", p); return "phone " p }
  if (lto[l] ~ /^\+336/) return "mobile " lto[l]
  return "secretariat"
}
# Why a call is lost; the first words name the kind (conversation cut, nobody answered, message lost, no final answer,
# refused, SIPp call aborted: the caller's side; record ...: the engine's records only).
function lose(k, why,   kind) {
  lost[k] = why
  kind = why; sub(/:.*/, "", kind); sub(/ \(.*/, "", kind); if (kind ~ /^record/) kind = "record " (why ~ /missing/ ? "missing" : why ~ /unfinished/ ? "unfinished" : "wrong")
  if (kind ~ /^refused/) kind = "refused"
  lost_kind[kind]++
}
function engine_down(x,   i) {
  for (i = 1; i <= ndown; i++) if (x >= down_from[i] && (down_to[i] == 0 || x <= down_to[i] + 0.5)) return 1
  return 0
}
BEGIN { ncalls = 0; ndown = 0 }
/^X / {
  if ($0 ~ /engine killed/) { ndown++; down_from[ndown] = $2; down_to[ndown] = 0; kills++ }
  else if ($0 ~ /engine up again/) down_to[ndown] = $2
  else if ($0 ~ /core restart gracefully/) restarts++
  next
}
/^E\|/ {
  split($0, f, "|")
  if (f[2] == "R") { c = f[3]; nrec[c]++; rid[c] = f[4]; rout[c] = f[6]; rans[c] = f[7]; rsteps[c] = f[9]
                     if (f[6] == "refused") refused_records[c]++ }
  else if (f[2] == "V") { c = f[3]; nvm[c]++; vmrec[c] = f[7] }
  next
}
$1 == "P" {
  cls = $2; c = $3; ev = $4; x = t($5, $6)
  if (ev == "invite") {
    n[c]++; k = c "#" n[c]; cur[c] = k
    ncalls++; order[ncalls] = k; kclass[k] = cls; kcaller[k] = c; kinv[k] = x
    if (first == "" || x < first) first = x
    if (x > last) last = x
    next
  }
  k = cur[c]
  if (ev == "answered") kans[k] = x
  else if (ev == "cut") kcut[k] = x
  else if (ev == "hangup") khang[k] = x
  else if (ev == "final") kfinal[k] = $7
  next
}
NF >= 5 && $3 ~ /^(invite|answered|pressed-1|bye|cancel)$/ {
  peer = $1; c = $2; ev = $3; x = t($4, $5)
  if (ev == "invite") {
    nl++; lpeer[nl] = peer; lcaller[nl] = c; linv[nl] = x; lto[nl] = $6; ldiv[nl] = $7
    lkey[nl] = cur[c]; open_leg[peer SUBSEP c] = nl
    legs[cur[c]] = legs[cur[c]] " " nl
    next
  }
  l = open_leg[peer SUBSEP c]; if (l == "") next
  if (ev == "answered") lans[l] = x
  else if (ev == "bye") lbye[l] = x
  else if (ev == "cancel") lcancel[l] = x
  else if (ev == "pressed-1") lpress[l] = x
  next
}
END {
  split("phone secretariat mobile voicemail refused lost", cols, " ")
  for (i = 1; i <= ncalls; i++) {
    k = order[i]; c = kcaller[k]; cl = kclass[k]; a = (k in kans) ? kans[k] : ""
    classes[cl]++
    outcome = ""
    if (!(k in kans)) {
      if (cl == "refused" && kfinal[k] == "403") {
        outcome = "refused"; refused_seen[c]++
        if (refused_seen[c] > refused_records[c]) lose(k, "record missing: SIPp got the 403, the engine has no refused record for it")
      } else if (kfinal[k] != "") lose(k, "refused with SIP " kfinal[k] " (the rules ask for no refusal)")
      else lose(k, "no final answer to the INVITE (see patients-" cl "-*.err)")
    } else {
      end = (k in kcut) ? kcut[k] : khang[k]
      if (end == "") { lose(k, "SIPp call aborted after the 200 (no BYE sent or received; see patients-" cl "-*.err)"); end = a + 60 }
      who = ""; cutleg = ""; after = ""
      m = split(legs[k], ls, " ")
      for (j = 1; j <= m; j++) {
        l = ls[j]
        if (!(l in lans) || lans[l] > end) continue
        if (cutleg != "" && after == "") after = kindof(l)
        who = l
        if ((l in lbye) && lbye[l] < end - 1.0 && !(k in kcut) && cutleg == "") cutleg = l
      }
      if (k in lost) {
      } else if (k in kcut) {
        lose(k, "conversation cut: the patient got a BYE " fmt(kcut[k] - a) " s after its 200, before its own hang-up" \
          (who != "" ? " (talking with " kindof(who) " since " fmt(lans[who] - a) " s)" : " (nobody had answered yet)"))
      } else if (cutleg != "") {
        lose(k, "conversation cut: " kindof(cutleg) " (answered at " fmt(lans[cutleg] - a) " s) got a BYE at " fmt(lbye[cutleg] - a) \
          " s while the patient stayed until " fmt(end - a) " s" (after != "" ? "; then answered again by " after : ""))
      } else if (who == "") {
        if (nvm[c] > 0) outcome = "voicemail"
        else if (rsteps[c] ~ /voicemail/)
          lose(k, "message lost: the patient spoke " fmt(end - a) " s after its 200, the engine's record shows a recording (" \
            (rout[c] == "-" ? "unfinished" : rout[c]) ") but no message is in the voicemail index; steps: " rsteps[c])
        else lose(k, "nobody answered: the patient waited " fmt(end - a) " s after its 200 (silence or music), then hung up" \
            (nrec[c] > 0 ? "; steps: " rsteps[c] : ""))
      } else {
        outcome = kindof(who)
        if (lpeer[who] == "carrier" && ldiv[who] == "unavailable") via_fallback++
      }
      if (outcome != "" && !(k in lost) && cl == "refused") note[k] = "answered (" outcome ") instead of refused"
      # The engine's side.
      if (outcome != "" && !(k in lost)) {
        sub(/ .*/, "", outcome)
        if (nrec[c] == 0) {
          if (outcome == "secretariat" && ldiv[who] == "unavailable" && engine_down(kinv[k])) fallback_no_record++
          else if (outcome == "voicemail" && vmrec[c] ~ /^fallback/ && engine_down(kinv[k])) fallback_no_record++
          else lose(k, "record missing (" outcome " for SIPp)")
        } else if (cl != "refused") {
          want = (outcome == "phone") ? "answered" : (outcome == "secretariat") ? "overflowed" : (outcome == "mobile") ? "answered" : "voicemail"
          if (rout[c] == "-") lose(k, "record unfinished (no outcome) while SIPp says " outcome "; steps: " rsteps[c])
          else if (rout[c] != want && !(outcome == "secretariat" && rout[c] == "fallback"))
            lose(k, "record says " rout[c] (rans[c] != "-" ? " by " rans[c] : "") " while SIPp says " outcome "; steps: " rsteps[c])
          else if (outcome == "phone" && index(kindof(who), rans[c]) == 0)
            lose(k, "record says answered by " rans[c] " while SIPp says " kindof(who))
        }
      }
    }
    if (k in lost) { count[cl, "lost"]++; total["lost"]++ }
    else { count[cl, outcome]++; total[outcome]++ }
  }
  printf "%-12s %6s %6s %12s %7s %10s %8s %5s\n", "class", "calls", "phone", "secretariat", "mobile", "voicemail", "refused", "lost"
  split("reception secretariat voicemail urgent refused", order_cl, " ")
  for (i = 1; i <= 5; i++) {
    cl = order_cl[i]
    printf "%-12s %6d %6d %12d %7d %10d %8d %5d\n", cl, classes[cl], count[cl, "phone"], count[cl, "secretariat"], count[cl, "mobile"],
      count[cl, "voicemail"], count[cl, "refused"], count[cl, "lost"]
  }
  printf "%-12s %6d %6d %12d %7d %10d %8d %5d\n", "total", ncalls, total["phone"], total["secretariat"], total["mobile"],
    total["voicemail"], total["refused"], total["lost"]
  printf "%d calls placed over %.0f s; engine killed (kill -9) and restarted %d time(s); Asterisk restarted gracefully %d time(s)\n",
    ncalls, last - first, kills, restarts
  if (via_fallback > 0)
    printf "%d call(s) reached the secretariat through Asterisk's fallback route (Diversion reason=unavailable: engine down, or a caller it left in Stasis moved there)\n", via_fallback
  if (fallback_no_record > 0)
    printf "%d call(s) placed while the engine was down took Asterisk's fallback route (no engine record by design; seen by the SIPp secretariat or imported as a message)\n", fallback_no_record
  for (i = 1; i <= ncalls; i++) if (order[i] in note) printf "note: %s %s: %s\n", kclass[order[i]], kcaller[order[i]], note[order[i]]
  nl_lost = 0
  for (i = 1; i <= ncalls; i++) {
    k = order[i]
    if (!(k in lost)) continue
    if (nl_lost++ == 0) print "lost calls (class, caller, engine call id, placed at, why):"
    c = kcaller[k]
    printf "  %-11s %s %s +%.0fs: %s\n", kclass[k], c, (nrec[c] > 0 && kclass[k] != "refused" ? rid[c] : "-"), kinv[k] - first, lost[k]
  }
  if (total["lost"] > 0) {
    line = ""
    for (kd in lost_kind) line = line (line == "" ? "" : ", ") lost_kind[kd] " " kd
    print "lost by kind: " line
  }
  print "lost: " total["lost"] + 0
}
