"""Compare sources: judgement unit tests (no model) and the labelled invented test set.

The set (tests/data/compare/dev.jsonl, heldout.jsonl) holds short invented articles on one
story each, labelled with the contradictions between them; every other predicted
contradiction counts as a false positive. heldout.jsonl was never used for tuning.
independent.jsonl and blind*.jsonl (harder, each written separately, the blind sets by
helpers who never read the judge) are scored in halves by item id, or whole; see the floors
below for which parts were used for error analysis.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from propscope.article import Article
from propscope.claimparts import find_quantities, find_times
from propscope.compare import Edge, cliques
from propscope.compare_align import _sentence
from propscope.compare_judge import (
    AGREES,
    COMPATIBLE,
    CONTRADICTS,
    Conflict,
    Context,
    Judgement,
    aligned_polarity_conflicts,
    judge,
)
from propscope.compare_roles import RANK, RoleMention, age_at, post_taken_at, rank_at, role_at, role_conflicts
from propscope.compare_values import (
    Sentence,
    Value,
    attribution,
    comparable,
    kept_apart,
    measure_key,
    same_measure,
    unit_of,
)
from propscope.train.compare_clash import conflict_pairs, gold_pairs

DATA = Path(__file__).parent / "data" / "compare"
NOT_CONTRADICTS = "not contradicts"


# --------------------------------------------------------------------------- judgement, no model


def sentence(text: str, article: int = 0, entities: frozenset[int] = frozenset({1})) -> Sentence:
    parts = {
        "times": [{"start": t.start, "end": t.end, "text": t.text, "value": t.value,
                   "granularity": t.granularity, "kind": t.kind} for t in find_times(text)],
        "quantities": [{"start": q.start, "end": q.end, "text": q.text, "value": q.value, "low": q.low,
                        "high": q.high, "unit": q.unit, "approximate": q.approximate}
                       for q in find_quantities(text)],
    }
    built = _sentence(article, text, 0, len(text), parts, [], False)
    built.entities = entities
    return built


def relation(first: str, second: str, similarity: float = 0.7) -> str:
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    return judge(sentence(first, 0), sentence(second, 1), similarity, ctx).relation


@pytest.mark.parametrize(("first", "second", "expected"), [
    # numbers, bounds, approximations, ranges
    ("Twelve people were killed in the fire.", "Nineteen people were killed in the fire.", CONTRADICTS),
    ("At least 19 people died in the flood.", "Twenty-one people died in the flood.", AGREES),
    ("At least 19 people died in the flood.", "Twelve people died in the flood.", CONTRADICTS),
    ("About 40,000 people marched on Saturday.", "41,000 people marched on Saturday.", AGREES),
    ("A few hundred residents were evacuated.", "About 300 residents were evacuated.", AGREES),
    ("A few hundred residents were evacuated.", "About 2,000 residents were evacuated.", CONTRADICTS),
    ("Between 30 and 40 workers went on strike.", "Some 35 workers went on strike.", AGREES),
    ("Between 30 and 40 workers went on strike.", "Sixty workers went on strike.", CONTRADICTS),
    # dates, years against full dates
    ("The bridge opened in 1998.", "The bridge opened in 2011.", CONTRADICTS),
    ("The school was founded in 2011.", "The school was founded on 3 March 2011.", AGREES),
    ("The dam was opened on 3 March 2011.", "The dam was opened on 5 March 2011.", CONTRADICTS),
    # durations in other words, and derived years
    ("She retired after four decades as keeper.", "She retired after 42 years as keeper.", AGREES),
    ("She retired after four decades as keeper.", "She retired after 15 years as keeper.", CONTRADICTS),
    ("The mill opened in 1969 and closed 42 years later.", "The mill closed in 2011.", AGREES),
    # a half year written out is not a whole number of years
    ("The driver was jailed for six years.", "The driver was jailed for five and a half years.", CONTRADICTS),
    ("The driver was jailed for four years.", "The driver was jailed for four and a half years.", CONTRADICTS),
    ("The driver was jailed for four and a half years.", "The driver was jailed for 54 months.", AGREES),
    ("The mill opened in 1969 and closed 42 years later.", "The mill closed in 2003.", CONTRADICTS),
    # different times are not contradictions
    ("Unemployment fell to 2.9% in April.", "Unemployment rose to 3.2% in May.", COMPATIBLE),
    ("In 1990 the town had 12,000 inhabitants.", "The town has 19,000 inhabitants.", COMPATIBLE),
    # earlier figures given beside the current one are compared only with each other, for one time
    ("Prices rose 3.2% in May, up from 2.9% in April.", "Prices rose to 3.2% in May from 2.7% in April.",
     CONTRADICTS),
    ("Prices rose 3.2% in May, up from 2.9% in April.", "Prices rose to 3.2% in May from 2.9% in April.", AGREES),
    ("Prices rose 3.2% in May, up from 2.9% in April.", "Prices rose to 3.2% in May from 2.7% in March.",
     NOT_CONTRADICTS),
    ("Cases rose to 23, up from 17.", "Cases rose to 17 on Friday.", NOT_CONTRADICTS),
    # race times with colons are times taken, in seconds; two runners' times are not compared
    ("Kiprop won the marathon in 2 hours 6 minutes 41 seconds.", "Kiprop won the marathon in 2:06:41.", AGREES),
    ("Kiprop won the marathon in 2 hours 6 minutes 41 seconds.", "Kiprop won the marathon in 2:07:41.",
     CONTRADICTS),
    ("Lydia Korir won the marathon in 2 hours 21 minutes 40 seconds.",
     "The men's race was won by Samuel Kiprop in 2:07:15.", NOT_CONTRADICTS),
    # votes a measure passed by; jobs, posts and charges, offences counted alike
    ("The measure passed 6-3.", "The measure passed 5-4.", CONTRADICTS),
    ("Volterra Motors will cut 2,300 jobs at its plant.", "Volterra Motors is to axe 1,900 posts at its plant.",
     CONTRADICTS),
    ("The company admitted 11 offences.", "The company pleaded guilty to nine charges.", CONTRADICTS),
    # a crowd, an audience or a town of N counts people; so do men, nurses, drivers
    ("A sell-out crowd of 15,000 watched the final.", "About 12,000 fans watched the final.", CONTRADICTS),
    ("Detectives have arrested three men after the robbery.", "Four people have been arrested after the robbery.",
     CONTRADICTS),
    ("The union balloted 1,100 drivers.", "The union balloted 1,300 members.", CONTRADICTS),
    # an evening ends before midnight; a night may run into the next day
    ("The council approved the bypass on Tuesday evening.", "The council approved the bypass on Wednesday night.",
     CONTRADICTS),
    ("The council approved the bypass on Wednesday.", "The council approved the bypass on Tuesday night.",
     NOT_CONTRADICTS),
    # parts of days: two nights never meet; a night meets the small hours of the next day only
    ("The festival closed on Saturday night.", "The festival closed on Sunday night.", CONTRADICTS),
    ("The minister resigned on Monday night.", "The minister resigned on Tuesday afternoon.", CONTRADICTS),
    ("The minister resigned on Monday night.", "The minister resigned early on Tuesday.", NOT_CONTRADICTS),
    ("The walkers began the climb on Friday morning.", "The walkers began the climb on Friday afternoon.", CONTRADICTS),
    ("The walkers began the climb on Friday.", "The walkers began the climb on Friday afternoon.", NOT_CONTRADICTS),
    # "over ten years" after a verb is during ten years; "edged up to" is the level reached
    ("The loan will be repaid over 25 years.", "The loan will be repaid over 30 years.", CONTRADICTS),
    ("He has led the choir for over ten years.", "He has led the choir for 15 years.", AGREES),
    ("Offenders face fines of up to £500.", "Offenders face fines of £200.", NOT_CONTRADICTS),
    # two plans clash; a plan against what happened, or a condition, does not
    ("The company said it would close 14 stores.", "The company will close 12 stores.", CONTRADICTS),
    ("The company expects to close 14 stores.", "The company closed 12 stores last year.", NOT_CONTRADICTS),
    ("The reservoir fell to 40 per cent.", "The rules will be lifted once the reservoir reaches 60 per cent.",
     NOT_CONTRADICTS),
    # ages written as "17 years old" or "is 24."
    ("The Uruguayan defender Luis Mora is 24.", "The 26-year-old defender Luis Mora signed a deal.", CONTRADICTS),
    ("The aircraft was 17 years old, Coastair said.", "Coastair said the 11-year-old aircraft had been serviced.",
     CONTRADICTS),
    # attribution
    ("Police said 12,000 people attended the rally.", "Organisers said 40,000 people attended the rally.",
     COMPATIBLE),
    ("Police said 12 people were detained.", "Thirty people were detained, police said.", CONTRADICTS),
    # negation
    ("Police arrested Dario Kvist on Wednesday.", "Dario Kvist was not arrested on Wednesday.", CONTRADICTS),
    ("Nobody was injured in the blast.", "No one was hurt in the blast.", NOT_CONTRADICTS),
    ("Ray Mulligan conceded defeat on Sunday afternoon.", "Ray Mulligan has not yet conceded.", CONTRADICTS),
    ("Jon Dalby had admitted 14 counts of fraud.", "A jury convicted Jon Dalby after he denied any wrongdoing.",
     CONTRADICTS),
    ("Jon Dalby was admitted to hospital.", "Jon Dalby denied the claims.", NOT_CONTRADICTS),
    ("The results are not yet known, Ray Mulligan said.", "Ray Mulligan conceded defeat.", NOT_CONTRADICTS),
    # words that deny a predicate
    ("Dario Kvist survived the crash.", "Dario Kvist was killed in the crash.", CONTRADICTS),
    ("The court upheld the conviction of Jakob Feld.", "The court quashed the conviction of Jakob Feld.",
     CONTRADICTS),
    ("Dario Kvist was unhurt.", "Dario Kvist was not injured.", NOT_CONTRADICTS),
    # one measured thing: a death toll with a death toll, never the day of the fire with an opening year
    ("The regional emergency service has confirmed 12 deaths.", "At least 19 people are dead.", CONTRADICTS),
    ("A fire killed 12 people on Friday.", "The terminal has been a disaster since it opened in 2011.",
     NOT_CONTRADICTS),
    ("The hall held roughly 900 tonnes of nitrate.", "The safety plan allows 500 tonnes per building.",
     NOT_CONTRADICTS),
    ("The bridge opened in 1998.", "The school opened in 2011.", NOT_CONTRADICTS),
    ("Three people were injured in the first blast.", "Five people were injured in the second blast.",
     NOT_CONTRADICTS),
    # different predicates are not compared
    ("The plant opened in 1998 and was sold in 2011.", "Built in 1998, the plant was sold in 2011.", AGREES),
    ("The road cost 80 million euros.", "The road cost 80 million euros, 10 million more than planned.", AGREES),
    # rounding, forecasts, updates, parts, other groups, different subjects of a change
    ("Selim won with 54.2% of the vote.", "Selim won with 54% of the vote.", AGREES),
    # masses in tonnes and kilograms, rounded as written
    ("The satellite weighs 1,250 kilograms.", "The satellite weighs 1.4 tonnes.", CONTRADICTS),
    ("The satellite weighs 1,380 kilograms.", "The satellite weighs 1.4 tonnes.", AGREES),
    ("The union rejected a 4.5% pay offer.", "The union rejected a 5% pay offer.", CONTRADICTS),
    ("Parking will cost £2.50 an hour.", "Parking will cost £3 an hour.", CONTRADICTS),
    ("Rents rose 6.5% last year.", "The institute expects rents to rise another 4%.", NOT_CONTRADICTS),
    ("Wages rose by 22%.", "Rents rose by 40%.", NOT_CONTRADICTS),
    ("Eight people were killed, officials said.", "The death toll rose to 15 people by evening.", NOT_CONTRADICTS),
    ("The crash injured 31 people, three of them seriously.", "Three people were seriously injured.",
     NOT_CONTRADICTS),
    ("Two other miners were killed in the collapse.", "Five miners were killed in the collapse.", NOT_CONTRADICTS),
    ("Four officers were injured, a police spokeswoman said.", "Eleven officers were hurt, police said.",
     CONTRADICTS),
    # a date conflicts only with a date of the same thing; untied figures need more than one shared word
    ("Okafor was sworn in as ombudsman on 3 March 2021.", "Okafor was sworn in on 17 March 2021.", CONTRADICTS),
    ("Fire engulfed the tower block in Drava on 9 February 2025.", "The block was completed in 1992.",
     NOT_CONTRADICTS),
    ("Core inflation, which excludes food and energy, held at 2.1%.", "Food prices were up 4.6% on the year.",
     NOT_CONTRADICTS),
    ("VELLINGRAD, 12 June 2024 - The orchestra was founded in 1954.", "The orchestra was founded in 1948.",
     CONTRADICTS),
    ("VELLINGRAD, 12 June 2024 - The orchestra opened its season with a concert.",
     "The season runs until the end of May next year.", NOT_CONTRADICTS),
    # results and magnitudes
    ("Rovers won the final 2-1.", "Rovers beat City 3-1 in the final.", CONTRADICTS),
    ("A magnitude 6.1 earthquake struck.", "The magnitude 6.4 quake struck at night.", CONTRADICTS),
    # a group within a count, a part of a total; verbs of making and of changing
    ("Seven residents died in the fire.", "Nine people died in the fire, including two firefighters.",
     NOT_CONTRADICTS),
    ("Fifteen passengers were killed in the crash.", "At least 19 people died in the crash.", CONTRADICTS),
    ("About 86,000 patients are waiting for surgery.", "Around 860,000 patients are waiting in total.",
     NOT_CONTRADICTS),
    ("The portrait was painted in 1642.", "The portrait was completed in 1658.", CONTRADICTS),
    ("Rents in Corvetta soared by 40% over five years.", "Rents in Corvetta rose 22% over five years.",
     CONTRADICTS),
    ("The striker agreed a four-year contract.", "The striker signed a five-year deal.", CONTRADICTS),
    ("Seven miners were killed when the roof collapsed.", "The roof gave way, trapping dozens of workers.",
     NOT_CONTRADICTS),
    # the predicate across a preposition is as near as one across a comma; units implied by words
    ("The orchestra, founded in 1954, opened its season.", "The orchestra was founded in 1948.", CONTRADICTS),
    ("The death toll is 15, the governor said.", "The death toll stood at 19, the governor said.",
     CONTRADICTS),
    ("The bank will close 23 of its 61 branches.", "The bank will close 32 branches.", CONTRADICTS),
    ("About 250 houses were damaged by the tornado.", "More than 500 homes were wrecked by the tornado.",
     CONTRADICTS),
    # a target is not a level; a figure is dated by the period written nearest it; scale
    ("Prices are heading back to the 2% target.", "Prices rose 5.0% on the year.", NOT_CONTRADICTS),
    ("Calvessa welcomed 2.1 million visitors last year and expects more this year.",
     "The board is forecasting 2.4 million visitors this year.", NOT_CONTRADICTS),
    ("The new line cost €410 million.", "A single ticket on the new line costs €2.10.", NOT_CONTRADICTS),
    ("The bank kept its rate at 4.25% at its meeting on 12 May.",
     "The bank held its rate at 4.5% at its 12 May meeting and meets again next week.", CONTRADICTS),
    ("Occupancy averaged 78% in August, up from 74% a year earlier.", "Occupancy averaged 71% in August.",
     CONTRADICTS),
    ("About 5,000 people gathered in the square on Sunday.", "Some 20,000 supporters packed the square on Sunday.",
     CONTRADICTS),
    ("Clean Start won 9 seats in its first election.", "The National Alliance won 44 seats.", NOT_CONTRADICTS),
    ("Four water-bombing planes fought the fire.", "Only two firefighting planes fought the fire.", CONTRADICTS),
    # a season or a period opening the sentence dates its figures; a limit is not a level
    ("Patients waited an average of 7 hours 40 minutes in October.",
     "Last winter the average wait was six hours and ten minutes.", NOT_CONTRADICTS),
    ("Only 52% of patients were seen within four hours.", "Patients spent almost eight hours in the department.",
     NOT_CONTRADICTS),
    # an earlier event is another event, but an "up from" clause does not make one
    ("A magnitude 6.1 earthquake struck on Wednesday.",
     "The region's last deadly earthquake, a magnitude 5.4 tremor, struck in 2009.", NOT_CONTRADICTS),
    # a year tied to another predicate does not date a figure; "he said" names no source;
    # "3.5m tonnes" counts tonnes; slashing is cutting
    ("At 294 metres, the Marisol Dawn is one of the largest ships.",
     "Built in 2016, the 310-metre Marisol Dawn is the largest vessel in the fleet.", CONTRADICTS),
    ("He said a new 40-bed ward would open in January.", "The trust says a 32-bed ward will open in January.",
     CONTRADICTS),
    ("The harvest was 2.1 million tonnes last season.", "Last season's crop totalled 3.5m tonnes.", CONTRADICTS),
    ("The roads budget will be cut by €6 million.", "The roads budget is being slashed by €9m.", CONTRADICTS),
    # a share, sum or count tied to a predicate on one side only needs close sentences; one
    # of two estimates agreeing is no conflict; "thousands" is not false of 12,000; the last
    # edition of an event is another event
    ("Quillon shares fell 4% in trading.", "Quillon has been growing at 60% in trading.", NOT_CONTRADICTS),
    ("About 3,000 people marched on Saturday.",
     "Organisers counted 10,000 marchers on Saturday and police 3,000 marchers.", NOT_CONTRADICTS),
    ("Thousands of people marched through Velgrad on Saturday.",
     "More than 12,000 people marched through Velgrad on Saturday.", NOT_CONTRADICTS),
    ("The ministry said 5,000 troops were taking part in the Iron Heath exercise.",
     "The last Iron Heath exercise, in 2022, involved 3,500 troops.", NOT_CONTRADICTS),
    # wishes and conditionals are not reported facts; "has fallen to" gives a new level
    ("The union wants a 15% pay rise.", "The authority's offer of 8.5% was accepted by the union.", NOT_CONTRADICTS),
    ("Reservoirs were 38% full at the end of July.", "The reservoirs have fallen to 31% of capacity.",
     NOT_CONTRADICTS),
    # counts of people (and sums, shares) need a word next to both figures
    ("Most of the 220 people who lived in the council block were at home.",
     "Seven residents died in the fire at Harlow Court, a council block.", NOT_CONTRADICTS),
    ("A €4 million contract for road signs was signed without a tender.",
     "The €9 million road-sign contract went to his brother-in-law.", CONTRADICTS),
    # rounding and round approximate figures; two valuations
    ("The repairs cost Northline Rail £8 million.", "Northline Rail said the repairs cost £8.3 million.",
     NOT_CONTRADICTS),
    ("The repairs cost Northline Rail £8 million.", "Northline Rail said the repairs cost £8.7 million.",
     CONTRADICTS),
    ("Pike stole around £300 from the till.", "Pike stole £340 from the till.", NOT_CONTRADICTS),
    ("Pike stole around £300 from the till.", "Pike stole £380 from the till.", CONTRADICTS),
    ("Police valued the stolen watches at 85,000 euros.", "The shop estimated the stolen watches at 120,000 euros.",
     NOT_CONTRADICTS),
    # the day something was said; a time from now; saying no to something
    ("Two climbers reached the summit of Mount Varak, their organiser said on Monday.",
     "The climbers reached the summit of Mount Varak on Friday.", NOT_CONTRADICTS),
    ("Harlan announced on Thursday that it will close the Bayport refinery.",
     "Harlan announced the closure on Wednesday.", CONTRADICTS),
    ("The three-day Lakeside festival was expected to attract 25,000 visitors.",
     "The Lakeside festival had been due to start in ten days' time.", NOT_CONTRADICTS),
    ("Voters in Glenross have rejected plans for a wind farm on Carrow Moor.",
     "Glenross has said no to a wind farm on Carrow Moor.", NOT_CONTRADICTS),
])
def test_judgement(first: str, second: str, expected: str) -> None:
    if expected == NOT_CONTRADICTS:
        assert relation(first, second) != CONTRADICTS
    else:
        assert relation(first, second) == expected


# what the fourth blind set taught (each row was judged wrongly before): durations in parts,
# totals "between them", what a change is said of, halves and quarters, a year of comparison,
# vague "thousands", approximate figures written in both sentences, a duration describing a
# noun, a stretch of a race, a period opening the sentence
@pytest.mark.parametrize(("first", "second", "similarity", "expected"), [
    ("Jo Hart was jailed for three years and four months for theft.",
     "Jo Hart was sent to prison for 40 months for theft.", 0.9, AGREES),
    ("Quickmere employs 5,200 people.", "The companies employ 11,000 people between them.", 0.8, NOT_CONTRADICTS),
    ("Pre-tax profit fell to £21.3m from £26.8m.", "Revenue grew to £418 million, but profits slipped.", 0.8,
     NOT_CONTRADICTS),
    ("Average monthly rents in Castlemere rose 9.2% in the year.", "One-bedroom flat rents have jumped by 15%.",
     0.8, NOT_CONTRADICTS),
    ("Rents for one-bedroom flats rose fastest, up 12%.", "One-bedroom flat rents have jumped by 15%.", 0.9,
     CONTRADICTS),
    ("The number of homes available to rent was 28% lower.", "One-bedroom flat rents have jumped by 15%.", 0.85,
     NOT_CONTRADICTS),
    ("Ruth Penhallow said sales volumes in the second half were up 3%.",
     "Ruth Penhallow said first-half volumes fell 2%.", 0.93, NOT_CONTRADICTS),
    ("Visitor numbers rose to a record 412,000, up 11% on 2022.", "The island welcomed 412,000 visitors in 2023.",
     0.88, NOT_CONTRADICTS),
    ("Thousands of people marched through Caddington on Saturday.",
     "Organisers say 25,000 people marched in Caddington on Saturday.", 0.82, NOT_CONTRADICTS),
    ("The gallery hoped to attract 150,000 visitors a year, compared with 90,000 before it closed.",
     "Before the closure, the gallery drew roughly 90,000 visitors a year.", 0.85, NOT_CONTRADICTS),
    ("Doyle, who led the union for ten years, will retire.",
     "Callender will be the first woman to lead the union in its 70-year history.", 0.6, NOT_CONTRADICTS),
    ("Verhaegen won the 186km third stage in a sprint.", "The breakaway riders were caught inside the final 5km.",
     0.6, NOT_CONTRADICTS),
    ("In the first quarter, profit was £52 million.", "Profit in the first quarter was just £61 million.", 0.84,
     CONTRADICTS),
    # and the fifth: "received" a share of the vote is winning it, "found" is discovering,
    # "deliberation" is deliberating, "voted 23-14" is a tally, durations need sentences alike
    ("Ruiz received 52% of the vote.", "Ruiz won 55% of the vote to Lindqvist's 45%.", 0.93, CONTRADICTS),
    ("Divers found the wreck in August.", "The wreck was discovered in July.", 0.66, CONTRADICTS),
    ("The jury deliberated for three days.", "The verdict came after two days of deliberation.", 0.72,
     CONTRADICTS),
    ("The council passed the plan by 23 votes to 11.", "The council has voted 23-14 to approve the plan.", 0.7,
     CONTRADICTS),
    ("The company is offering two years of free credit monitoring.",
     "Attackers gained access nearly three weeks before the company noticed.", 0.46, NOT_CONTRADICTS),
    # days of the week: compared when the same predicate stands right next to both; a night
    # and an early morning may be the same hours
    ("The bridge reopened to traffic on Wednesday morning.", "The bridge reopened only on Saturday.", 0.87,
     CONTRADICTS),
    ("The fire began Friday night.", "The fire began early Saturday.", 0.85, NOT_CONTRADICTS),
    ("Pilots went on strike early Friday.", "A federal judge on Saturday ordered striking pilots back to work.",
     0.77, NOT_CONTRADICTS),
    ("Police questioned the harbour director on Monday about the inquiry.",
     "The board will meet on Thursday to discuss the inquiry.", 0.46, NOT_CONTRADICTS),
    # times of day: by one predicate, or the only ones of sentences alike
    ("The rocket lifted off at 6:47 p.m. local time.", "Liftoff from the pad came at 7:47 p.m. local time.", 0.78,
     CONTRADICTS),
    ("Polls opened at 7 a.m. in the district.", "Polls closed at 10 p.m. in the district.", 0.85, NOT_CONTRADICTS),
    ("The fire was reported at about 2 a.m. on the estate.", "The fire was reported at 2:10 a.m. on the estate.",
     0.9, AGREES),
    # outcomes: found guilty / acquitted, cancelled / resumed, conceded / not conceded, a
    # negation carried over "no plans to"
    ("The jury acquitted Dennis Okafor of all embezzlement charges.",
     "Dennis Okafor was found guilty on Thursday of embezzling public funds.", 0.85, CONTRADICTS),
    ("Ferry services from Port Callan remained cancelled throughout Wednesday.",
     "Ferries from Port Callan resumed on Wednesday morning.", 0.79, CONTRADICTS),
    ("Lindqvist conceded shortly after 11 p.m. on election night.",
     "Lindqvist had not conceded as of Wednesday morning.", 0.84, CONTRADICTS),
    ("The river regulator is investigating the spill.",
     "The river regulator said it had no plans to investigate the spill.", 0.8, CONTRADICTS),
    ("Okafor was found not guilty of murder but guilty of manslaughter.", "Okafor was found guilty of manslaughter.",
     0.85, NOT_CONTRADICTS),
    # a fire's containment; stores, shops and branches count one thing
    ("The fire grew to about 18,000 acres by Monday evening and was 15% contained.",
     "By Monday evening, the fire was just 5% contained.", 0.75, CONTRADICTS),
    ("Halcott's will close 14 stores next year.", "Halcott's will close 19 shops next year.", 0.8, CONTRADICTS),
    # and the sixth: a company's workforce and a plant's, totals worldwide, one airline "alone",
    # a race time in parts, a standard to meet, a promise
    ("Vantor employs about 90,000 people.", "The Vardeno plant employs 1,900 people.", 0.63, NOT_CONTRADICTS),
    ("Vantor employs about 90,000 people worldwide.", "Vantor employs 25,000 people in Europe.", 0.82,
     NOT_CONTRADICTS),
    ("Around 1,150 flights were cancelled.", "Bluewing Airways alone cancelled 210 flights.", 0.8, NOT_CONTRADICTS),
    ("Kiprono won the race in 2 hours 5 minutes 41 seconds.", "Kiprono won the race in 2 hours 21 minutes 9 seconds.",
     0.9, CONTRADICTS),
    ("Kiprono won the race in 2 hours 5 minutes 41 seconds.", "Kiprono won the race in 2 hours 5 minutes 41 seconds.",
     0.95, AGREES),
    ("Hospitals must meet a national standard of 95%.", "Only 61% of patients were seen within the target.", 0.8,
     NOT_CONTRADICTS),
    ("Diallo has promised to build 5,000 homes by 2030.", "Diallo ran the city's housing department from 2018.",
     0.87, NOT_CONTRADICTS),
    ("Pryce, who stole £212,000, was found guilty on Friday.",
     "Pryce was convicted of fraud on Thursday after taking £212,000.", 0.92, CONTRADICTS),
    ("The 290-metre vessel ran aground this week.", "The 310-metre ship ran aground.", 0.8, CONTRADICTS),
    # and the seventh: a figure by midday is an update, a running score is not a result, a rate
    # is not a duration, an original budget is a plan, a region is a part of the area
    ("Brightwater shares rose 3.5% in early trading.", "Brightwater shares fell 2% by midday.", 0.73,
     NOT_CONTRADICTS),
    ("Varga beat Calloway 6-4, 3-6, 7-5 in the final.", "Varga saved two match points at 4-5 in the final set.",
     0.74, NOT_CONTRADICTS),
    ("The 12-week study enrolled 1,240 adults.", "Patients in the study had 2.5 days a month fewer migraines.", 0.6,
     NOT_CONTRADICTS),
    ("The project came in over its original budget of $32 million.", "The bridge repairs cost $38 million.", 0.77,
     NOT_CONTRADICTS),
    ("Average wheat yields reached 3.1 tonnes per hectare.",
     "Wheat yields in the south averaged 2.2 tonnes per hectare.", 0.91, NOT_CONTRADICTS),
    ("The robbers took watches worth about $250,000.", "The robbers took goods worth a quarter of a million dollars.",
     0.8, AGREES),
    ("The first cases were identified on Monday.", "The first cases were identified on Sunday.", 0.89, CONTRADICTS),
    ("Salvage crews refloated the ship on Tuesday.", "The ship ran aground off the cape on Friday evening.", 0.82,
     NOT_CONTRADICTS),
    ("The council faced a £7.2 million funding gap.", "The council must close a £9 million shortfall.", 0.86,
     CONTRADICTS),
    # and the eighth: dates tied to nothing need sentences somewhat alike; the residents still
    # under an order are an update
    ("The season's first ship arrived on 4 April.", "On the busiest day, in August, three ships arrived.", 0.44,
     NOT_CONTRADICTS),
    ("The wildfire forced about 3,000 residents to evacuate.",
     "Evacuation orders remain in place for about 800 residents.", 0.75, NOT_CONTRADICTS),
    # sources differ on estimates, not on facts; a part "of the job losses"
    ("The hospital will close four wards to new admissions, officials said.",
     "Three wards have been closed to new admissions, the trust said.", 0.95, CONTRADICTS),
    ("Police said about 3,000 people marched.", "Organisers said 10,000 people marched.", 0.9, NOT_CONTRADICTS),
    ("Corvane will cut 450 jobs at its factory.", "Union officials said 150 of the job losses would be voluntary.",
     0.67, NOT_CONTRADICTS),
    # tallies in words or after "voted"; lives lost are people; a level that peaked
    ("Councillors voted 9 to 4 in favour of the plan.", "The plan was approved by seven votes to six.", 0.86,
     CONTRADICTS),
    ("The flooding claimed one life.", "Two people died in the flooding.", 0.72, CONTRADICTS),
    ("The river reached a record 4.2 metres at Ardlow.", "River levels at Ardlow peaked at 4.6 metres.", 0.71,
     CONTRADICTS),
    # and the ninth: a price with fees, distances from different places, a yearly cost and a
    # cost over years
    ("The painting sold for £1.8 million at auction.", "The painting fetched £2.1 million including fees.", 0.87,
     NOT_CONTRADICTS),
    ("The derailment site is about 340 kilometres east of the coast.",
     "The crash site is 12 kilometres north of the Tallow Creek township.", 0.58, NOT_CONTRADICTS),
    ("The epicentre was about 40 kilometres north of the provincial capital, Eshlan.",
     "The epicentre was about 60 kilometres south of Eshlan.", 0.92, CONTRADICTS),
    ("The cut would cost members about $4 million a year.",
     "The change would cost the fleet about $8 million over the next two years.", 0.82, NOT_CONTRADICTS),
    # ages in words, lengths in other units (second session of 2026-12-05)
    ("A man in his forties died when a tree fell on his car near Brisley.",
     "A 61-year-old driver was killed when a tree crashed onto his car near Brisley.", 0.85, CONTRADICTS),
    ("A man in his sixties died when a tree fell on his car.", "A 64-year-old driver was killed by a falling tree.",
     0.85, NOT_CONTRADICTS),
    ("The bridge is 1.2 kilometres long.", "The 850-metre bridge has four lanes.", 0.75, CONTRADICTS),
    ("The bridge is 1.2 kilometres long.", "The 1,200-metre bridge has four lanes.", 0.75, AGREES),
    ("Danforth declined to concede on election night.", "Danforth conceded shortly before midnight.", 0.8,
     CONTRADICTS),
    ("Kemp refused to comment on the offer.", "Kemp said he had accepted the offer.", 0.8, NOT_CONTRADICTS),
    # "edged up to" gives the level reached, not a bound
    ("Core inflation held steady at 2.7%.", "Core inflation edged up to 2.8%.", 0.9, CONTRADICTS),
])
def test_judgement_in_context(first: str, second: str, similarity: float, expected: str) -> None:
    if expected == NOT_CONTRADICTS:
        assert relation(first, second, similarity) != CONTRADICTS
    else:
        assert relation(first, second, similarity) == expected


def test_ages_and_lengths_as_values() -> None:
    from propscope.compare_values import AGE_UNIT

    aged = sentence("A woman aged 64 and a man in his late sixties were rescued.")
    assert [(v.low, v.high, v.unit) for v in aged.values if v.unit == AGE_UNIT] == [(64, 64, AGE_UNIT),
                                                                                    (60, 69, AGE_UNIT)]
    assert [(v.low, v.unit) for v in sentence("The route is 42km long.").values] == [(42_000, "metre")]
    text = "Ana Brook, 58, was elected mayor of Halvik."
    named = _sentence(0, text, 0, len(text), {"times": [], "quantities": []}, [(0, 9, 7, "Ana Brook")], False)
    (age,) = named.values
    assert (age.text, age.low, age.person) == ("58", 58, 7)
    other = sentence("The 61-year-old Ana Brook was elected mayor of Halvik.", 1)
    assert not comparable(age, other.values[0], named, other, 0.9)  # whose age it is: compare_roles decides


def test_more_ages_and_counts_as_values() -> None:
    """Ages "at the age of N" and "who is N," (not "52nd"); a crew of N counts people, as do
    veterans, survivors, growers, shoppers and claimants; storeys and floors are one unit, and
    homes and households."""
    from propscope.compare_values import AGE_UNIT

    def ages(text: str) -> list[float]:
        return [v.low for v in sentence(text).values if v.unit == AGE_UNIT]

    assert ages("The novelist Ada Brill has died at the age of 112.") == [112]
    assert ages("Ferrante, who is 52, has led the party since 2016.") == [52]
    assert ages("Ferrante, who is 52nd in the rankings, lost again.") == []
    assert ages("The truck's driver, 52, was arrested at the scene.") == [52]
    assert ages("Three men, 52, were held.") == []  # a count, not a person
    assert [(v.low, v.unit) for v in sentence("The trawler and its crew of 24 were towed to port.").values] == [
        (24, "people")]
    veterans, survivors = sentence("Two veterans are still alive."), sentence("Three survivors remain.", 1)
    assert veterans.values[0].unit == survivors.values[0].unit == "people"
    storeys, floors = sentence("The block had nine storeys."), sentence("It added three floors.", 1)
    assert storeys.values[0].unit == floors.values[0].unit == "floor"
    homes, households = sentence("It would power 30,000 homes."), sentence("It would supply 45,000 households.", 1)
    assert homes.values[0].unit == households.values[0].unit == "house"
    for counted in ("The union represents 14,000 growers.", "The data of 1.8 million shoppers leaked.",
                    "The 198 claimants had no tap water."):
        assert sentence(counted).values[0].unit == "people", counted
    # a figure that remains is a later state of one that was
    assert sentence("About 800,000 homes remained without electricity on Saturday.").update


@pytest.mark.parametrize(("text", "unit"), [
    ("The quake had a magnitude of 6.1.", "magnitude"),
    ("It measured 6.4 on the moment magnitude scale.", "magnitude"),
    ("The planet orbits a red dwarf 124 light years from Earth.", "light-year"),
    ("Police estimated the crowd at around 2,000.", "people"),
    ("Organisers put attendance at 6,500.", "people"),
])
def test_magnitudes_light_years_and_crowd_estimates_as_values(text: str, unit: str) -> None:
    (value,) = sentence(text).values
    assert value.unit == unit


def test_ranks_are_values_for_the_learned_judge_only() -> None:
    ranks = [(v.text, v.unit, v.low) for t in ("The fire began on the seventh floor.",
                                               "The win lifts Kingsport to third in the table.",
                                               "Velasco started ninth and finished second.",
                                               "It was the first time in the first half.")
             for v in sentence(t).values]
    assert ranks == [("seventh", "ordinal:floor", 7), ("third", "ordinal:place", 3), ("ninth", "ordinal:place", 9),
                     ("second", "ordinal:place", 2)]
    a, b = sentence("The fire began on the seventh floor."), sentence("The blaze started on the ninth floor.", 1)
    assert not comparable(a.values[0], b.values[0], a, b, 0.95)


@pytest.mark.parametrize("injured", [
    "One man was slightly injured by a falling branch.",
    "Two passengers were treated by paramedics for minor injuries.",  # what the counted people underwent
])
def test_a_denied_count_is_compared(injured: str) -> None:
    comparison = run([("a.txt", "Storm Edda hit Port Selwyn on Sunday, bringing down trees across the town. "
                                "No one was injured."),
                      ("b.txt", f"Storm Edda battered Port Selwyn on Sunday. {injured}")])
    conflicts = [c for f in comparison.findings for c in f["conflicts"]]
    assert [(c["kind"], c["values"][0]) for c in conflicts] == [("negation", "not injured")]


def test_places_named_alike_are_one() -> None:
    from propscope.compare_judge import _one_place

    assert _one_place("Harrowgate Airport", "Harrowgate") and _one_place("Harrowgate", "harrowgate airport")
    assert not _one_place("Harrowgate", "Dunmere") and not _one_place("New Harrow", "Harrow")


def test_clock_times() -> None:
    from propscope.compare_values import clock_values

    text = "It hit at 4:12 a.m., shortly after 2 a.m., at 14:30 and just before midnight; the score was 3:1."
    found = [(v.text, v.low, v.high) for v in clock_values(text, 0, len(text), lambda s, e: None)]
    assert found == [("4:12 a.m.", 252, 252), ("shortly after 2 a.m.", 105, 195), ("14:30", 870, 870),
                     ("just before midnight", 1425, 1440)]


@pytest.mark.parametrize(("first", "second"), [
    ("About 300 residents were evacuated from their homes.", "Around 2,000 residents had to leave their homes."),
    ("Turnout was 61%, up from 52% at the last election.", "Turnout reached 58%."),
])
def test_figures_tied_on_one_side_need_close_sentences(first: str, second: str) -> None:
    # a count, share or sum tied to a predicate on one side only ("evacuated" / "had to leave")
    assert relation(first, second, similarity=0.88) == CONTRADICTS
    assert relation(first, second, similarity=0.7) != CONTRADICTS


def test_negations_are_shown_as_written() -> None:
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    verdict = judge(sentence("Police arrested Dario Kvist on Wednesday."),
                    sentence("Dario Kvist was not arrested on Wednesday.", 1), 0.7, ctx)
    assert [(c.first, c.second) for c in verdict.conflicts] == [("arrested", "not arrested")]
    verdict = judge(sentence("The court quashed the conviction of Jakob Feld."),
                    sentence("The court upheld the conviction of Jakob Feld.", 1), 0.7, ctx)
    assert [(c.first, c.second) for c in verdict.conflicts] == [("quashed", "upheld")]


def test_one_figure_each_in_close_sentences_on_one_entity() -> None:
    first = "Halvern City signed Mattias Keld for €9 million on Tuesday."
    second = "Keld has completed his move to Halvern City for a fee of €4 million."
    assert relation(first, second, similarity=0.85) == CONTRADICTS
    # not when the sentences read differently, or name nothing in common, or give two figures
    assert relation(first, second, similarity=0.7) != CONTRADICTS
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    apart = judge(sentence(first, 0, frozenset({1})), sentence(second, 1, frozenset({2})), 0.85, ctx)
    assert apart.relation != CONTRADICTS
    two = "Keld moved to Halvern City for a fee of €4 million plus €1 million in bonuses."
    assert relation(first, two, similarity=0.85) != CONTRADICTS
    # a unit that says what is counted needs less: sentences that read alike are enough, but
    # not for a rate, nor for two different names
    burned, consumed = "It has burned more than 3,000 hectares.", "It has consumed 1,300 hectares."
    assert relation(burned, consumed, similarity=0.75) == CONTRADICTS
    assert relation(burned, consumed, similarity=0.6) != CONTRADICTS
    # ... and a little less when a word is said of both figures
    assert relation("It is 86 kilometres long.", "The line was 68 kilometres long.", similarity=0.6) == CONTRADICTS
    assert relation("It is 86 kilometres long.", "The line was 68 kilometres long.", similarity=0.5) != CONTRADICTS
    assert relation("The hall held 900 tonnes.", "The plan allows 500 tonnes per building.", 0.75) != CONTRADICTS
    seats = judge(sentence("The Greens have 17 seats.", 0, frozenset({1})),
                  sentence("Clean Start has 9 seats.", 1, frozenset({2})), 0.75, ctx)
    assert seats.relation != CONTRADICTS
    # "6% more than this year" is a change, not "six more" of something
    budget = "Arnsby approved a budget of €1.2 billion on Thursday, an increase of 4% on this year."
    pushed = "Arnsby pushed through a €1.2 billion budget on Thursday, 6% more than this year."
    assert relation(budget, pushed, similarity=0.85) == CONTRADICTS


def test_conflict_names_both_values() -> None:
    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})
    verdict = judge(sentence("At least 19 people died."), sentence("Twelve people died.", 1), 0.8, ctx)
    (conflict,) = verdict.conflicts
    assert conflict.kind == "number" and "19" in conflict.first and "Twelve" in conflict.second


def test_same_measure_needs_predicate_or_shared_words() -> None:
    opened = sentence("The terminal opened in 1998.").values[0]
    friday = sentence("A fire killed 12 people on Friday.").values[0]
    held = sentence("The hall held roughly 900 tonnes of nitrate.").values[0]
    stored = sentence("The hall held about 900 tonnes of nitrate.").values[0]
    assert opened.anchor == "open" and not same_measure(opened, friday)
    assert same_measure(held, stored) and measure_key(held, stored) == "quantity:kilogram:*"
    assert unit_of("deaths") == unit_of("residents") == "people"


def _edge(a: tuple[int, int], b: tuple[int, int], conflict: bool, measure: str = "quantity:people:kill") -> Edge:
    verdict = Judgement(CONTRADICTS if conflict else AGREES, measures={measure})
    if conflict:
        verdict.conflicts.append(Conflict("number", "12", "19", "12 and 19 cannot both be true"))
    else:
        verdict.matches.append((sentence("12 people died.").values[0], sentence("12 people died.").values[0]))
    return Edge(a, b, verdict, 0.5, True)


def test_findings_are_cliques_not_chains() -> None:
    chain = [_edge((0, 0), (1, 0), True), _edge((1, 0), (2, 0), True, "time:time:open")]
    assert sorted(sorted(c.nodes) for c in cliques(chain)) == [[(0, 0), (1, 0)], [(1, 0), (2, 0)]]
    triangle = [_edge((0, 0), (1, 0), True), _edge((0, 0), (2, 0), True), _edge((1, 0), (2, 0), False)]
    assert [sorted(c.nodes) for c in cliques(triangle)] == [[(0, 0), (1, 0), (2, 0)]]
    other = [_edge((0, 0), (1, 0), True), _edge((0, 0), (2, 0), True, "time:time:open"),
             _edge((1, 0), (2, 0), False)]
    assert len(cliques(other)) == 3  # a shared sentence does not merge two measures


def test_places_conflict_only_when_unmentioned_elsewhere() -> None:
    a, b = sentence("The plane crashed near Vessby.", 0), sentence("The plane crashed near Olmar.", 1)
    a.places, b.places = [(5, "Vessby", "crash")], [(6, "Olmar", "crash")]
    apart = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset({5}), 1: frozenset({6})})
    both = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset({5}), 1: frozenset({5, 6})})
    assert judge(a, b, 0.8, apart).relation == CONTRADICTS
    assert judge(a, b, 0.8, both).relation != CONTRADICTS


def test_place_nouns_of_one_kind_place_the_same_thing() -> None:
    comparison = run([("a.txt", "Brightwick makes the sets. The sets are made at Brightwick's factory in Lorvik."),
                      ("b.txt", "Brightwick makes the sets. It is manufactured at Brightwick's plant in Ostermoor.")])
    (finding,) = [f for f in comparison.findings if f["relation"] == "contradicts"]
    assert [c["kind"] for c in finding["conflicts"]] == ["place"]


def test_roles_and_people() -> None:
    text = "Deputy mayor Ana Brook spoke."
    assert role_at(text, 0, 13, 22, "Ana Brook") == ("deputy mayor", None)
    text = "Halvik's mayor, Ana Brook, spoke."
    assert role_at(text, 0, 16, 25, "Ana Brook") == ("mayor", "Halvik")
    text = "The trip was led by Jonas Prell."
    assert role_at(text, 0, 20, 31, "Jonas Prell") == ("leader", None)
    mayor = RoleMention(0, 1, "Ana Brook", "mayor", None, 0, 9)
    deputy = RoleMention(1, 1, "Ana Brook", "deputy mayor", None, 0, 9)
    assert [k for _, _, k in role_conflicts([mayor, deputy])] == ["role"]
    # a narrower title of the same post is no conflict
    minister = RoleMention(0, 3, "Gerda Holm", "minister", None, 0, 9)
    education = RoleMention(1, 3, "Gerda Holm", "education minister", None, 0, 9)
    assert role_conflicts([minister, education]) == []
    other = RoleMention(1, 2, "Carl Venn", "mayor", None, 0, 9)
    assert [k for _, _, k in role_conflicts([mayor, other])] == ["person"]
    spokes = [RoleMention(0, 1, "A B", "spokesman", None, 0, 1), RoleMention(1, 2, "C D", "spokesman", None, 0, 1)]
    assert role_conflicts(spokes) == []
    # ages more than a year apart
    text = "Jakob Feld, 67, was released."
    assert age_at(text, 10) == "aged 67" and age_at("Feld, the minister", 4) is None
    ages = [RoleMention(n, cluster, name, age, None, 0, 1) for n, cluster, name, age in (
        (0, 4, "Jakob Feld", "aged 52"), (1, 4, "Jakob Feld", "aged 57"), (2, 4, "Jakob Feld", "aged 53"),
        (2, 5, "Ana Brook", "aged 40"))]
    assert [(x.article, y.article, k) for x, y, k in role_conflicts(ages)] == [(0, 1, "age"), (1, 2, "age")]
    # a rank between title and name; a minister with a portfolio holds it alone
    text = "Ashby's police chief, Colonel Dana Reyes, spoke."
    assert role_at(text, 0, 30, 40, "Dana Reyes") == ("police chief", "Ashby")
    text = "Lieutenant Governor Ray Dunford spoke."
    assert role_at(text, 0, 20, 31, "Ray Dunford") == ("lieutenant governor", None)
    # whose office: a name right before the title; "Varnian" and "Varnia's" are one owner
    text = "Alliance leader Gerald Pinnock spoke."
    assert role_at(text, 0, 16, 30, "Gerald Pinnock") == ("leader", "Alliance")
    leaders = [RoleMention(0, 1, "A B", "leader", "Harbour Party", 0, 1),
               RoleMention(1, 2, "C D", "leader", "Alliance", 0, 1)]
    assert role_conflicts(leaders) == []
    ministers = [RoleMention(0, 1, "A B", "foreign minister", "Varnian", 0, 1),
                 RoleMention(1, 2, "C D", "foreign minister", "Varnia", 0, 1)]
    assert [k for _, _, k in role_conflicts(ministers)] == ["person"]
    health = [RoleMention(0, 1, "A B", "health minister", None, 0, 1),
              RoleMention(1, 2, "C D", "health minister", None, 0, 1)]
    assert [k for _, _, k in role_conflicts(health)] == ["person"]
    ministers = [RoleMention(0, 1, "A B", "minister", None, 0, 1), RoleMention(1, 2, "C D", "minister", None, 0, 1)]
    assert role_conflicts(ministers) == []


def test_ranks_of_one_person() -> None:
    def rank(text: str, name: str) -> str | None:
        at = text.index(name)
        return rank_at(text, 0, at, at + len(name), name)

    assert rank("Detective Chief Inspector Nadia Hale said.", "Nadia Hale") == "rank detective chief inspector"
    assert rank("Lieutenant Colonel Ivo Brandt spoke.", "Ivo Brandt") == "rank lieutenant colonel"
    assert rank("Deputy Chief Constable Ann Lee spoke.", "Ann Lee") is None  # an office, not a rank
    assert rank("The major Ivo Brandt case", "Ivo Brandt") is None

    def kinds(first: str, second: str, cluster: int = 1) -> list[str]:
        mentions = [RoleMention(0, 1, "Nadia Hale", RANK + first, None, 0, 1),
                    RoleMention(1, cluster, "Nadia Hale", RANK + second, None, 0, 1)]
        return [k for _, _, k in role_conflicts(mentions)]

    assert kinds("detective inspector", "detective sergeant") == ["rank"]
    assert kinds("detective inspector", "detective chief inspector") == ["rank"]
    assert kinds("inspector", "detective inspector") == []  # a detective holds the same rank
    assert kinds("lieutenant general", "general") == []  # any general is called "General"
    assert kinds("colonel", "major") == ["rank"]
    assert kinds("colonel", "major", cluster=2) == []  # two people


def test_posts_a_person_takes() -> None:
    def post(text: str, name: str) -> str | None:
        at = text.index(name)
        return post_taken_at(text, 0, at, at + len(name))

    assert post("Party leader Saga Lind will become foreign minister.", "Saga Lind") == "foreign minister"
    assert post("The army named a judge, Hanna Obuya, as interim prime minister.", "Hanna Obuya") == \
        "interim prime minister"
    assert post("Hanna Obuya, as interim prime minister, spoke.", "Hanna Obuya") is None  # nobody named her
    assert post("Ana Brook became head of the board.", "Ana Brook") is None
    posts = [RoleMention(0, 1, "Saga Lind", "finance minister", None, 0, 1),
             RoleMention(1, 1, "Saga Lind", "foreign minister", None, 0, 1)]
    assert [k for _, _, k in role_conflicts(posts)] == ["role"]
    # an interim post has one holder; it is not the post itself
    interim = [RoleMention(0, 1, "Dimitri Salo", "interim prime minister", None, 0, 1),
               RoleMention(1, 2, "Hanna Obuya", "interim prime minister", None, 0, 1)]
    assert [k for _, _, k in role_conflicts(interim)] == ["person"]
    interim[1] = RoleMention(1, 2, "Hanna Obuya", "prime minister", None, 0, 1)
    assert role_conflicts(interim) == []


def test_whose_office_and_offices_held_per_side() -> None:
    text = "Its chief executive, Tom Radecki, will join the board."
    assert role_at(text, 0, 21, 32, "Tom Radecki") == ("chief executive", "its")
    text = "Titans' captain Faisal Qureshi blamed his batters."
    assert role_at(text, 0, 16, 30, "Faisal Qureshi") == ("captain", "Titans")
    # "its chief executive" may be another company's than "Corran chief executive"
    bosses = [RoleMention(0, 1, "Tom Radecki", "chief executive", "its", 0, 1),
              RoleMention(1, 2, "Sandra Vail", "chief executive", "Corran", 0, 1)]
    assert role_conflicts(bosses) == []
    # each side of a match has a captain: two captains conflict only when both name one team
    captains = [RoleMention(0, 1, "Rohan Sharma", "captain", None, 0, 1),
                RoleMention(1, 2, "Faisal Qureshi", "captain", "Titans", 0, 1)]
    assert role_conflicts(captains) == []
    captains[0] = RoleMention(0, 1, "Rohan Sharma", "captain", "Titans", 0, 1)
    assert [k for _, _, k in role_conflicts(captains)] == ["person"]


def test_qualified_offices_and_one_person_in_two_posts() -> None:
    # qualifiers before the head word are part of the office, not its owner
    text = "Council leader Margaret Ellery spoke."
    assert role_at(text, 0, 15, 30, "Margaret Ellery") == ("council leader", None)
    text = "Chief operating officer Daniel Mbeki spoke."
    assert role_at(text, 0, 24, 36, "Daniel Mbeki") == ("chief operating officer", None)
    text = "Labour Minister Sofie Engqvist spoke."
    assert role_at(text, 0, 16, 30, "Sofie Engqvist") == ("labour minister", None)

    def kinds(first: tuple[int, str, str | None], second: tuple[int, str, str | None]) -> list[str]:
        people = [RoleMention(n, cluster, f"Person{cluster}", role, owner, 0, 1) for n, (cluster, role, owner) in
                  enumerate((first, second))]
        return [k for _, _, k in role_conflicts(people)]

    # one person, two posts one person does not hold together
    assert kinds((1, "chief executive", None), (1, "chief operating officer", None)) == ["role"]
    assert kinds((1, "chief executive", "Fennick"), (1, "chairwoman", "Fennick")) == ["role"]
    assert kinds((1, "labour minister", None), (1, "finance minister", None)) == ["role"]
    assert kinds((1, "council leader", None), (1, "deputy council leader", None)) == ["role"]
    # ... but a founder or a leader may hold any post, a jury's president is its chair, and two
    # organisations' posts need not clash
    assert kinds((1, "founder", None), (1, "chief executive", None)) == []
    assert kinds((1, "leader", None), (1, "prime minister", None)) == []
    assert kinds((1, "president", None), (1, "chair", None)) == []
    assert kinds((1, "chief executive", "Fennick"), (1, "chairwoman", "Halvern")) == []
    # one office named more narrowly has one holder; a lieutenant governor is not the governor
    assert kinds((1, "provincial governor", None), (2, "governor", "Darvan")) == ["person"]
    assert kinds((1, "governor", None), (2, "lieutenant governor", None)) == []
    assert kinds((1, "county fire chief", None), (2, "county fire chief", None)) == ["person"]
    assert kinds((1, "health secretary", None), (2, "health secretary", None)) == ["person"]
    # a team's manager, when both reports name the team
    assert kinds((1, "manager", "Rovers"), (2, "manager", "Rovers")) == ["person"]
    assert kinds((1, "manager", None), (2, "manager", "Rovers")) == []


@pytest.mark.parametrize(("first", "second"), [
    ("Talbot chief executive Maria Okafor will lead the enlarged group.",
     "Greyfield's chief executive, Tom Rourke, will run the combined group."),
    ("The combined company will be run by Northgate chief executive Lena Hartigan.",
     "The merged group will be led by Caldera's boss, Thomas Reeve, with Hartigan becoming chair."),
])
def test_two_heads_of_one_merged_company(first: str, second: str) -> None:
    comparison = run([("a.txt", f"Talbot and Greyfield agreed to merge on Monday. {first}"),
                      ("b.txt", f"Talbot and Greyfield agreed to merge on Monday. {second}")])
    conflicts = [c for f in comparison.findings for c in f.get("conflicts", [])]
    assert [c["kind"] for c in conflicts] == ["person"]
    assert "head of the merged company" in conflicts[0]["explanation"]


@pytest.mark.parametrize(("first", "second"), [
    ("Turnout was 49%.", "A narrow majority, 52%, voted for the line."),
    ("Turnout in the ballot was 64 percent.", "Members voted by 78 percent to back a strike."),
    ("Only 41% of registered voters took part.", "Members voted by 47% to back a strike."),
])
def test_a_turnout_is_not_a_share_of_the_vote(first: str, second: str) -> None:
    assert relation(first, second, similarity=0.9) != CONTRADICTS


def test_turnouts_still_clash() -> None:
    assert relation("Turnout was 44%.", "Turnout was 39%.", similarity=0.9) == CONTRADICTS
    assert relation("Only 41% of registered voters took part.", "Turnout, at 47%, was low.",
                    similarity=0.9) == CONTRADICTS


def test_two_days_someone_spoke_are_no_conflict_but_two_days_of_one_announcement_are() -> None:
    said = ("Officials said on Tuesday that 57 people in 14 states had been sickened by the peanut butter.",
            "Officials said on Friday that 63 people in 16 states had been sickened by the peanut butter.")
    assert not any(c.kind == "date" for c in judge(sentence(said[0], 0), sentence(said[1], 1), 0.9, Context(
        article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})).conflicts)
    assert relation("Harlan announced the closure of the refinery on Thursday.",
                    "Harlan announced the closure of the refinery on Wednesday.", similarity=0.9) == CONTRADICTS


@pytest.mark.parametrize(("first", "second"), [
    # changes of two measures: their sums are not one figure, the one after "to" included
    ("Pre-tax profit rose 12% to £184 million, driven by strong demand.", "Sales rose 5% to £2.31bn in the year."),
    ("Revenue rose 4% to £3.9 billion, helped by strong demand.", "Pre-tax profit fell 3% to £196m in the year."),
    # a prison term and how long something else lasted
    ("Pellow had served as the council's treasurer for 14 years.",
     "Pellow was sentenced to four and a half years in prison on Friday."),
    ("Kulkarni had worked at the bank's Ramnagar branch for 14 years.",
     "Kulkarni, who ran the bank's Ramnagar branch, will spend five years behind bars."),
    # the badly hurt are some of the hurt
    ("Eleven people were injured when the bus hit a truck.", "The driver was among three people seriously injured."),
    # kinds of one thing
    ("A wider surveillance zone extends for 10 kilometres.",
     "A protection zone with a radius of 5 kilometres is in place."),
    ("Annual inflation in Norvald fell to 3.2% in May.", "Core inflation in Norvald slowed to 3.8% in May."),
    # a yearly sum and a total over a span of years
    ("A community fund worth €250,000 a year will be shared.",
     "A community fund will pay out €5 million over the 20-year life of the wind farm."),
])
def test_figures_of_different_measures_terms_and_severities(first: str, second: str) -> None:
    assert relation(first, second, similarity=0.9) != CONTRADICTS


@pytest.mark.parametrize(("first", "second"), [
    ("Sales rose 5% to £2.31bn in the year.", "Revenue rose 5% to £2.6bn in the year."),
    ("Pellow was jailed for six years on Friday.", "Pellow was sentenced to four and a half years in prison."),
    ("Six people were taken to hospital with serious injuries.", "Four people suffered serious injuries."),
    ("Eleven people were injured when the bus hit a truck.", "Nine people were injured when the bus hit a truck."),
    ("Core inflation, which excludes energy and food, eased to 3.6%.", "Core inflation slowed to 3.8%."),
    ("Inflation in Orvland reached 4.1% in June, driven by food and fuel.", "Inflation in Orvland hit 5.6% in June."),
    ("Greenacre Energy will build 14 turbines on Slievecarn.", "Greenacre will build 11 turbines on Slievecarn."),
    ("Two firefighters were injured in the blaze.", "Three firefighters were injured in the blaze."),
    ("Aldo Fenn married Marchetti in 1961 and died in 2003.", "Aldo Fenn married Marchetti in 1963 and died in 2003."),
    ("A 9-year-old boy is still missing.", "An 11-year-old boy is still missing."),
])
def test_figures_of_one_measure_term_or_severity_still_clash(first: str, second: str) -> None:
    assert relation(first, second, similarity=0.9) == CONTRADICTS


def test_seats_and_shares_are_compared_by_who_won_them() -> None:
    comparison = run([("a.txt", "Grace Okonkwo won the mayoral election in Riverside Heights on Tuesday. "
                                "Okonkwo won 52 percent of the vote to Victor Hale's 41 percent."),
                      ("b.txt", "Victor Hale lost the mayoral election in Riverside Heights on Tuesday. "
                                "Hale received 44 percent.")])
    values = [c["values"] for f in comparison.findings for c in f.get("conflicts", [])]
    assert values and all("41 percent" in v[0] + v[1] and "52" not in v[0] + v[1] for v in values)
    comparison = run([("a.txt", "The Civic Alliance won Sunday's election in Valdora. "
                                "The Civic Alliance won 34 seats in the 71-member assembly."),
                      ("b.txt", "The Civic Alliance won Sunday's election in Valdora. "
                                "Marco Ferrante's Liberal Union won nine seats.")])
    assert not [c for f in comparison.findings for c in f.get("conflicts", [])]


def test_who_leads_a_merged_company_only_for_people() -> None:
    from propscope.compare_roles import merged_head_at

    text = "The merged group will be led by Caldera's boss, Thomas Reeve, with Hartigan becoming chair."
    assert merged_head_at(text, 0, text.index("Thomas"), text.index("Thomas") + 12)
    assert not merged_head_at(text, 0, text.index("Hartigan"), text.index("Hartigan") + 8)
    text = "Reyes will step down once the deal completes; the new company has no name yet."
    assert not merged_head_at(text, 0, 0, 5)


@pytest.mark.parametrize(("first", "second"), [
    # the other sentence's parts add up to a little more than an open bound
    ("The trust said 38 patients and 11 members of staff had fallen ill.",
     "More than 40 people, patients and staff included, have fallen ill."),
    # intraday against closing moves
    ("Shares in Halbury closed 3% higher on Tuesday.", "Halbury shares fell 2% in early trading on Tuesday."),
    # a depth and a distance along the ground
    ("The earthquake struck at a depth of 10 km near Tarn.", "The earthquake struck roughly 40 km south of Tarn."),
    # passengers against everyone on board (the crew)
    ("The flight with 214 passengers on board landed safely.", "The jet, carrying 231 people, landed safely."),
    # two estimates, one attributed
    ("An estimated 10,000 fish died in the river.", "Angling clubs estimate more than 12,000 fish died in the river."),
    # 52 weeks is a year
    ("The 52-week study enrolled 1,240 adults.", "The study enrolled 1,240 adults over a year."),
    # counts of people to whom different things happened (an age between a count and its verb)
    ("Two firefighters were injured when their truck was caught by the fire.",
     "One firefighter, aged 29, died when his vehicle was surrounded by flames."),
    # the other sentence's date is written here too: this one's other date is of something else
    ("Marchetti married the poet Aldo Fenn in 1961; he died in 2003.",
     "Her husband, the poet Aldo Fenn, died in 2003."),
    # parts of a day dating a figure and its update
    ("About 180,000 homes were without electricity on Thursday morning, Westpower said.",
     "By Thursday evening, around 65,000 homes were still without power, Westpower said."),
    # the ages of a child and a grown-up
    ("Four people remain missing, among them a 9-year-old boy.", "One man, aged 73, is still missing."),
])
def test_figures_that_need_not_clash(first: str, second: str) -> None:
    assert relation(first, second, similarity=0.9) != CONTRADICTS


@pytest.mark.parametrize(("first", "second"), [
    ("Shares in Halbury closed 3% higher on Tuesday.", "Halbury shares closed 2% higher on Tuesday."),
    ("The earthquake struck at a depth of 10 km near Tarn.", "The earthquake struck 40 km below Tarn."),
])
def test_figures_that_clash_beside_those_excuses(first: str, second: str) -> None:
    assert relation(first, second, similarity=0.9) == CONTRADICTS


def test_outcomes_and_ages_are_kept_apart_for_the_learned_judge_too() -> None:
    injured = sentence("Two firefighters were injured when their truck was caught by the fire.", 0)
    died = sentence("One firefighter, aged 29, died when his vehicle was surrounded by flames.", 1)
    assert kept_apart(injured.values[0], died.values[0], injured, died)
    boy, man = sentence("Among them is a 9-year-old boy.", 0), sentence("One man, aged 73, is missing.", 1)
    ages = [next(v for v in s.values if v.unit == "year-old") for s in (boy, man)]
    assert kept_apart(ages[0], ages[1], boy, man)
    assert sentence("It has now consumed 15,500 hectares.").update  # a later figure


def test_a_resumption_denies_a_cancellation_not_a_suspension() -> None:
    resumed = sentence("Rail services between Claymouth and Fenbridge resumed in the afternoon.", 1)
    suspended = sentence("Rail services between Claymouth and Fenbridge were suspended after debris blocked the line.")
    cancelled = sentence("Rail services between Claymouth and Fenbridge were cancelled after debris blocked the line.")
    assert not aligned_polarity_conflicts(suspended, resumed)
    assert aligned_polarity_conflicts(cancelled, resumed)


def test_parts_of_an_open_bound_and_ends_of_ranges() -> None:
    from propscope.compare_judge import _range_apart, _sum_of_parts

    bound = sentence("More than 40 people have fallen ill.").values[0]
    assert _sum_of_parts(bound, sentence("The trust said 38 patients and 11 members of staff had fallen ill."))
    assert not _sum_of_parts(bound, sentence("The trust said 12 patients and 9 members of staff had fallen ill."))
    assert not _sum_of_parts(bound, sentence("The trust said 380 patients and 110 members of staff had fallen ill."))
    # two starts compare; an end against a start or a point does not
    a = sentence("The recall covers model years 2020 to 2023.")
    b = sentence("It covers vehicles from 2021 through 2023.", 1)
    assert not _range_apart(a.values[0], a, b.values[0], b)  # 2020 / 2021: both starts
    assert _range_apart(a.values[1], a, b.values[0], b)  # 2023 (an end) / 2021 (a start)
    c = sentence("A strike from Friday.", 1)
    d = sentence("The strike is on Saturday.", 1)
    assert _range_apart(c.values[0], c, d.values[0], d)  # a period from Friday need not clash with Saturday
    # ... but a point something begins at is a start, as "from" is
    e = sentence("The strike will begin on Saturday.", 1)
    assert not _range_apart(c.values[0], c, e.values[0], e)
    assert relation("Fortnightly bin collections will start from 3 March.",
                    "Fortnightly bin collections will begin on 17 March.") == CONTRADICTS


def test_one_figure_dated_twice_is_one_event_not_two_periods() -> None:
    from propscope.compare_judge import _excuse

    ctx = Context(article_times={0: [], 1: []}, article_clusters={0: frozenset(), 1: frozenset()})

    def dates(first: str, second: str) -> tuple[Sentence, Sentence, Value, Value]:
        a, b = sentence(first), sentence(second, 1)
        return a, b, next(v for v in a.values if v.kind == "time"), next(v for v in b.values if v.kind == "time")

    a, b, va, vb = dates("The old record, 36.1C, was set at Carrow Bridge in 2003.",
                         "The previous high of 36.1C was recorded at Carrow Bridge in 1995.")
    assert _excuse(a, b, va, vb, ctx) is None  # the dates of one record clash
    a, b, va, vb = dates("Unemployment was 3.2% in April.", "Unemployment was 3.2% in May.")
    assert _excuse(a, b, va, vb, ctx) is not None  # one rate in two months: two periods


def test_two_greatest_values_compare_their_tops() -> None:
    from propscope.compare_judge import overlap

    def value(text: str) -> Value:
        return next(v for v in sentence(text).values if v.kind == "quantity")

    top = value("Storm Idris brought gusts of up to 94 mph to the coast.")
    assert top.peak and value("The strongest gust, 81 mph, was recorded at Cape Linnet.").peak
    assert not overlap(top, value("The strongest gust, 81 mph, was recorded at Cape Linnet."))
    assert overlap(top, value("The strongest gust, 94 mph, was recorded at Cape Linnet."))
    assert overlap(top, value("Gusts of 81 mph were recorded at Cape Linnet."))  # a gust, not the strongest


def test_attribution_heads() -> None:
    assert attribution("Police said 12 people were detained.") == "police"
    assert attribution("Thirty people were detained, police said.") == "police"
    assert attribution("Prices rose 4%, according to the regional statistics office.") == "office"
    assert attribution("Prices rose by 4% in June.") is None
    assert attribution("The regional emergency service has confirmed 12 deaths.") == "service"


# --------------------------------------------------------------------------- with the model


@cache
def _encoder() -> Any:
    from propscope.compare import default_encoder

    return default_encoder()


def run(texts: list[tuple[str, str]]) -> Any:
    from propscope.compare import analyse_all, compare_reports

    articles = [Article(source=name, text=text, title=name) for name, text in texts]
    return compare_reports(analyse_all(articles), _encoder())


def score(name: str, parity: int | None = None) -> tuple[float, float, int, int, int]:
    """(precision, recall, tp, fp, fn) of ``contradicts`` over one part of the set; ``parity``
    keeps the items whose id number is odd (1) or even (0)."""
    tp = fp = fn = 0
    for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        if parity is not None and int(item["id"][1:]) % 2 != parity:
            continue
        names = [a["name"] for a in item["articles"]]
        texts = [a["text"] for a in item["articles"]]
        predicted = conflict_pairs(run(list(zip(names, texts, strict=True))))
        gold = gold_pairs(item)
        tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), tp, fp, fn


def test_contradictions_on_dev_set() -> None:
    precision, recall, tp, fp, fn = score("dev")
    print(f"\ndev: contradicts precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= 0.9 and recall >= 0.9


def test_contradictions_on_heldout_set() -> None:
    precision, recall, tp, fp, fn = score("heldout")
    print(f"\nheldout: contradicts precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= HELDOUT_PRECISION and recall >= HELDOUT_RECALL


HELDOUT_PRECISION = 0.9
HELDOUT_RECALL = 0.9
#: Floors for the independent set (written by a colleague), split by item id: odd items were
#: used for error analysis and tuning, even items held out until they were scored once; both
#: parts have been used for error analysis since. Targets: precision >= 0.9, recall >= 0.8.
#: Measured at the end of the second session of 2026-12-04: odd P 1.00 R 0.72 (18/25); even
#: P 1.00 R 0.42 (14 tp, 0 fp, 19 fn). The floors sit a little below the measured values, as
#: the shared encoder changes under training.
INDEPENDENT_ODD = (0.9, 0.66)
INDEPENDENT_EVEN = (0.85, 0.38)  # P 0.89 R 0.52 after the judge was retrained on 20 sets (third session, 2026-12-05)


#: The blind sets were written by helpers who never read the judge. blind (41 items): scored
#: whole twice unseen (P 0.69 R 0.35; P 0.76 R 0.28), odd half analysed, even half kept back
#: (P 0.67 R 0.21) until the second session of 2026-12-04, which analysed it. That session
#: brought blind2 (40 items, 86 contradictions) and blind3 (40 items, 87): each scored whole
#: on arrival (P 0.73 R 0.28; P 0.53 R 0.21), odd halves analysed, even halves held out and
#: scored (P 0.63 R 0.29, 10/6/24; P 0.61 R 0.24, 11/7/34; the session-start code: P 0.64
#: R 0.26 and P 0.62 R 0.18), then analysed as well. blind4 (40 items, 100 contradictions)
#: arrived last and is held out whole: scored once per code state, session start P 0.56 R 0.18
#: (18 tp, 14 fp), before the even halves were analysed P 0.64 R 0.23 (23/13), final P 0.63
#: R 0.22 (22 tp, 13 fp, 78 fn). The rules fit what they are tuned on and barely transfer;
#: precision on unseen text (about 0.6) is the judge's weak point. Final figures of the
#: analysed halves: blind odd P 1.00 R 0.55 (16/0/13), even P 1.00 R 0.45 (13/0/16); blind2
#: odd P 1.00 R 0.46 (24/0/28), even P 0.91 R 0.29 (10/1/24); blind3 odd P 0.89 R 0.19
#: (8/1/34), even P 0.85 R 0.24 (11/2/34).
#: Session of 2026-12-05: blind4 analysed (its 13 false positives: compound durations, totals
#: "between them", what a change is said of, halves, a year of comparison, vague "thousands",
#: approximate figures in both sentences, a duration describing a noun, the stretch of a race),
#: P 0.96 R 0.22 (22/1/78) after. Two new sets, written by helpers who never read the judge:
#: blind5 (40 items, 117 contradictions) scored on arrival P 0.85 R 0.15 (17/3/100) with both
#: the session-start code and the code after blind4's round, then analysed; blind6 (40 items,
#: 115 contradictions) was held out whole: session start P 0.61 R 0.19 (22/14/93), after
#: blind4's round P 0.65 R 0.19 (22/12/93), after blind5's P 0.64 R 0.20 (23/13/92); then it
#: was analysed too (P 0.85 R 0.20 after). blind7 (40 items, 114 contradictions), written by a
#: third helper, was held out: session start P 0.73 R 0.26 (30/11/84), after the rounds on
#: blind4, blind5 and blind6 P 0.79 R 0.26 (30/8/84); then analysed (P 0.97 R 0.26 after).
#: blind8 (40 items, 107 contradictions), by a fourth helper, held out: session start P 0.71
#: R 0.22 (24/10/83), after the rounds on blind4 to blind7 P 0.78 R 0.23 (25/7/82); then
#: analysed (P 0.93 R 0.23 after). blind9 (40 items, 123 contradictions), by a fifth helper,
#: was held out: session start P 0.75 R 0.27 (33/11/90), after the rounds on blind4 to blind8
#: P 0.79 R 0.28 (34/9/89); then analysed (P 0.85 R 0.28 after). blind10 (40 items, 125
#: contradictions), by a sixth helper, is held out whole: session start P 0.70 R 0.22
#: (28/12/97), end of the session P 0.79 R 0.22 (27/7/98). Precision on unseen text is now
#: about 0.8; recall about a quarter.
#: Second session of 2026-12-05: the learned judge of clashing values (compare_clash) is
#: trained on every set here but blind12 and blind13, so from then on the floors of the
#: trained sets only guard against regressions. Three new blind sets by helpers who never read
#: the code; each scored whole on arrival with the rules alone and with rules + learned judge:
#: blind11 (134 contradictions; first version of the model, trained on dev..blind10): rules P
#: 0.96 R 0.18 (24/1/110), + learned P 0.88 R 0.28 (37/5/97); then trained on. blind12 (130
#: contradictions), held out: rules P 0.81 R 0.17 (22/5/108); first model P 0.85 R 0.25
#: (33/6/97), final model P 0.87 R 0.32 (41/6/89). blind13 (130 contradictions), held out and
#: scored once with the final model: rules P 0.79 R 0.12 (15/4/115), + learned P 0.72 R 0.16
#: (21/8/109). blind10 scored by a model trained without it: rules P 0.79 R 0.22, + learned P
#: 0.81 R 0.37 (46/11/79). blind14 (148 contradictions) arrived after that commit and was
#: scored with it: rules P 0.74 R 0.17 (25/9/123), + learned P 0.76 R 0.28 (42/13/106). Then
#: ages in words and after names, lengths in metres, "a year and a half", denied counts and
#: two age features; the model retrained (threshold 0.70). Final code, held out: blind12 P 0.86
#: R 0.29 (38/6/92), blind13 P 0.72 R 0.16 (21/8/109), blind14 P 0.78 R 0.31 (46/13/102); the
#: rules alone P 0.81 R 0.17, P 0.79 R 0.12, P 0.74 R 0.17. Then excuses for parts that add up
#: ("180 passengers and six crew" / "186 people"), one end of a range and an earlier proposal or
#: offer; retrained (threshold 0.60): blind12 P 0.89 R 0.39 (51/6/79), blind13 P 0.73 R 0.17
#: (22/8/108), blind14 P 0.78 R 0.33 (49/14/99). blind15 (148 contradictions, 63 of them not
#: about figures), written by a ninth helper, arrived after that: rules alone P 0.84 R 0.11
#: (16/3/132), with the learned judge P 0.82 R 0.16 (23/5/125). The "adds up" excuse took any
#: two figures for parts of an open bound ("at least 19"); fixed and retrained: blind12 P 0.90
#: R 0.40 (52/6/78), blind13 P 0.73 R 0.17, blind14 P 0.78 R 0.33, blind15 P 0.85 R 0.16
#: (23/4/125). Then "declined to" / "refused to" as negators, denied counts against counts
#: of people who underwent them, ranks ("the seventh floor", "up to third") as values for the
#: learned judge; retrained (threshold 0.60). blind16 (166 contradictions, 74 not about
#: figures) arrived then and was scored once: rules alone P 0.90 R 0.16 (26/3/140), with the
#: judge P 0.92 R 0.27 (44/4/122). Final code on the other held-out sets: blind12 P 0.88 R 0.40
#: (52/7/78), blind13 P 0.74 R 0.18 (23/8/107), blind14 P 0.78 R 0.33 (49/14/99), blind15 P
#: 0.86 R 0.16 (24/4/124).
#: Third session of 2026-12-05: blind12 to blind16 (scored above, never analysed) became
#: training and analysis sets, and so did blind18 (130 contradictions, written by a helper and
#: scored on arrival: rules alone P 0.68 R 0.11 (13/6/110), with the judge P 0.64 R 0.17
#: (21/12/102); its false conflicts led to the excuses for parts of an open bound, intraday
#: share moves, depths against distances, passengers against everyone on board, attributed
#: estimates, per-side offices and "its chief executive"). The judge was retrained on every set
#: but blind17, blind19 and blind20 (the new held-out sets, written by helpers who never read
#: the code; see BLIND17 below). From here the floors of blind to blind16 and blind18 only guard
#: against regressions (figures measured with the retrained judge: blind4 P 0.88 R 0.35,
#: blind5 P 0.88 R 0.36, blind8 P 0.84 R 0.44, blind18 P 0.90 R 0.21).
BLIND_ODD = (0.9, 0.5)
BLIND_EVEN = (0.9, 0.45)
BLIND2_ODD = (0.9, 0.48)
BLIND2_EVEN = (0.7, 0.3)
BLIND3_ODD = (0.85, 0.22)
BLIND3_EVEN = (0.6, 0.24)
BLIND4 = (0.85, 0.3)
BLIND5 = (0.85, 0.3)
BLIND6 = (0.7, 0.28)
BLIND7 = (0.9, 0.34)
BLIND8 = (0.8, 0.38)
BLIND9 = (0.75, 0.3)
BLIND10 = (0.8, 0.3)
BLIND11 = (0.8, 0.25)
BLIND12 = (0.8, 0.28)
BLIND13 = (0.65, 0.14)
BLIND14 = (0.7, 0.27)
BLIND15 = (0.75, 0.14)
BLIND16 = (0.85, 0.24)
BLIND18 = (0.85, 0.18)
#: Held out (never analysed or trained on), written by helpers who never read the code.
#: blind17 (129 contradictions scored, 40 items): rules + judge P 0.97 R 0.25 (32/1/97) with the
#: session-start code, P 0.97 R 0.26 (33/1/96) after the harm rule, P 0.97 R 0.29 (37/1/92) with
#: the retrained judge (rules alone P 1.00 R 0.16). blind19 (164 scored) and blind20 (179
#: scored), scored on arrival with the retrained judge: blind19 rules alone P 0.74 R 0.14
#: (23/8/141), with the judge P 0.77 R 0.25 (41/12/123); blind20 rules alone P 0.83 R 0.17
#: (30/6/149), with the judge P 0.81 R 0.23 (42/10/137). After the plain-denial rule and the
#: story-grouping fix (judge retrained): blind17 unchanged, blind19 P 0.78 R 0.26 (43/12/121),
#: blind20 unchanged; the session-start code scored blind19 P 0.79 R 0.23 (38/10/126) and
#: blind20 P 0.84 R 0.23 (42/8/137). blind21 (178 scored), written last, scored once with the
#: final code of the session (28e170a): rules alone P 0.90 R 0.20 (36/4/142), with the judge
#: P 0.89 R 0.30 (54/7/124); the session-start code: P 0.91 R 0.28 (49/5/129). Then an open start
#: ("forecast from Tuesday") was excused against a point in time again (leaving one set out -3
#: false conflicts) and the judge retrained: blind20 P 0.82 R 0.23 (42/9/137), the others unchanged.
#: Fourth session of 2026-12-05: four new sets by helpers who never read the code (blind22 to
#: blind25: 219, 225, 226 and 192 contradictions), each scored whole on arrival with the
#: session-start code (25a1d66): blind22 P 0.84 R 0.26 (56/11/163), blind23 P 0.91 R 0.26
#: (59/6/166), blind24 P 0.97 R 0.31 (69/2/157), blind25 P 0.85 R 0.27 (52/9/140). blind22 and
#: blind23 were then analysed (their false conflicts led to: two valuations of money, the day
#: something was said, a time from now, rounding of money in millions, round approximate
#: figures, "said no to") and trained on: P 0.88 R 0.26 (58/8/161) and P 0.98 R 0.27
#: (60/1/165) after. blind24 and blind25 are held out. With the retrained judge (threshold
#: 0.65): blind17 P 0.97 R 0.28 (36/1/93), blind19 P 0.82 R 0.25 (41/9/123), blind20 P 0.84 R
#: 0.23 (41/8/138), blind21 P 0.88 R 0.30 (53/7/125), blind24 P 0.99 R 0.31 (70/1/156), blind25
#: P 0.87 R 0.27 (52/8/140): the six held-out sets pooled P 0.90 R 0.27 (293/34/775) against
#: P 0.88 R 0.28 (297/40/771) with the session-start code.
#: Fifth session of 2026-12-05: the role and harm rules of the session (qualified offices, one
#: person in two posts, the head of a merged company, a hospital stay against "nobody was hurt")
#: moved the six held-out sets to P 0.90 R 0.28 (299/34/769). Then two new sets by helpers who
#: never read the code (blind26: 205, blind27: 222 contradictions), scored whole once with the
#: session's code (9c0ad7a) and never analysed: blind26 P 0.89 R 0.28 (57/7/148), blind27 P 0.90
#: R 0.24 (54/6/168); the session-start code (42eaf81) scored them P 0.90 R 0.27 (56/6/149) and
#: P 0.90 R 0.24 (53/6/169).
#: Sixth session of 2026-12-05: earlier figures, race times, vote tallies, units counted alike,
#: people counted by trade, evenings, "over ten years", two plans, ages, attributes and the order
#: of one occurrence moved the six held-out sets to P 0.90 R 0.30 (322/34/746) and blind26 +
#: blind27 to P 0.90 R 0.28 (121/13/306). Two more sets by helpers who never read the code
#: (blind28: 189, blind29: 202 contradictions), never analysed, scored whole with the session's
#: code at e60a52a: blind28 P 0.93 R 0.27 (51/4/138), blind29 P 0.92 R 0.33 (67/6/135); at
#: e28dd86: the same and P 0.92 R 0.34 (68/6/134); the session-start code (069f767) scored them
#: P 0.94 R 0.27 (50/3/139) and P 0.92 R 0.32 (65/6/137).
#: Seventh session of 2026-12-05: the distilled 3-layer encoder (propscope-mini v1.1), with its
#: sentence map, the judge retrained on it and the story bar raised by 0.15: the six held-out
#: sets P 0.90 R 0.29 (313/33/755), blind26 + blind27 P 0.91 R 0.29 (124/13/303), blind28 P 0.96
#: R 0.26 (49/2/140), blind29 P 0.88 R 0.29 (59/8/143); the 22 analysed sets P 0.89 R 0.39
#: (988/122/1561, were 1037/132).
BLIND17 = (0.9, 0.25)
BLIND19 = (0.75, 0.22)
BLIND20 = (0.75, 0.2)
BLIND21 = (0.85, 0.27)
BLIND22 = (0.85, 0.24)
BLIND23 = (0.9, 0.24)
BLIND24 = (0.9, 0.28)
BLIND25 = (0.8, 0.24)
BLIND26 = (0.85, 0.25)
BLIND27 = (0.85, 0.21)
BLIND28 = (0.88, 0.24)
BLIND29 = (0.88, 0.29)
#: Eleventh session of 2026-12-06: blind30 (40 items, 270 contradictions listed, 243 sentence
#: pairs), written by a helper who never read the code, scored once on arrival: the session-start
#: code (36cdbae) P 0.895 R 0.280 (68/8/175); the code after causes, ranks, votes and casualties
#: (c7924ca) P 0.892 R 0.305 (74/9/169). One of its false conflicts (a helicopter that only
#: spotted a walker) was then fixed, so blind30 is no longer wholly unseen.
BLIND30 = (0.85, 0.27)
#: blind31 (40 items, 254 contradictions listed, 226 sentence pairs), by another helper who never
#: read the code, arrived later in the session and was scored once with the session-start code
#: (36cdbae): P 0.896 R 0.265 (60/7/166), and once with the code after all of the session's rules
#: (c15ddfb): P 0.889 R 0.283 (64/8/162). Then a margin was no longer read as an agent ("won by
#: more than a minute", seen in blind30): P 0.887 R 0.279 (63/8/163) at 549ca46.
BLIND31 = (0.85, 0.25)
#: Twelfth session of 2026-12-06: blind32 (40 items, 88 articles, 258 contradictions listed, 236
#: sentence pairs, 124 contradictions with no differing figure), by a helper who never read the
#: code, scored on arrival with the session-start code (983f25b): P 0.798 R 0.301 (71/18/165),
#: and with the code after the session's precision rules (d73cce1, and the same at d483eab): P 0.814
#: R 0.297 (70/16/166).
#: Its false conflicts were then read (most are the learned judge's: ages of two people, times of
#: two events) but nothing was changed for them. Precision here is below the target of 0.9.
BLIND32 = (0.75, 0.25)
#: blind33 (40 items, 88 articles, 287 contradictions listed, 231 sentence pairs), by another
#: helper who never read the code, arrived at the end of the session and was never read: the
#: session-start code (983f25b) P 0.944 R 0.290 (67/4/164), the code after one call per window
#: (ef6c687) the same, the final code (d483eab) P 0.942 R 0.281 (65/4/166).
BLIND33 = (0.85, 0.25)
#: blind34 (40 items, 293 contradicting sentence pairs), by a helper who never read the code,
#: arrived in the thirteenth session and was scored for totals only, never read: the
#: session-start code P 0.777 R 0.297 (87/25/206); with the judge refitted (threshold 0.70)
#: P 0.769 R 0.307 (90/27/203); at the threshold that scored best on blind30 to blind32 (0.55)
#: it would be P 0.746 R 0.331 (97/33/196). Then its false conflicts were read and seven of them
#: led to rules (counts of different outcomes, a date written on both sides, parts of a day of an
#: update, a child's and a grown-up's ages, "has now", a suspension and a resumption, "came from
#: behind"): P 0.818 R 0.307 (90/20/203).
BLIND34 = (0.75, 0.27)
#: blind35 (40 items, 284 contradicting sentence pairs), by another helper who never read the
#: code, arrived at the end of the thirteenth session and was scored for totals only, never
#: read: the session-start code (509f023) P 0.887 R 0.331 (94/12/190), the code after blind34's
#: rules P 0.896 R 0.335 (95/11/189), with the judge trained on 26 sets P 0.899 R 0.345 (98/11/186).
#: From then on blind30, blind31, blind32 and blind34 are training sets of the judge too.
BLIND35 = (0.85, 0.3)


@pytest.mark.parametrize(("name", "part", "parity", "floors"), [
    ("independent", "odd (tuned)", 1, INDEPENDENT_ODD),
    ("independent", "even (analysed)", 0, INDEPENDENT_EVEN),
    ("blind", "odd (analysed)", 1, BLIND_ODD),
    ("blind", "even (analysed)", 0, BLIND_EVEN),
    ("blind2", "odd (analysed)", 1, BLIND2_ODD),
    ("blind2", "even (analysed)", 0, BLIND2_EVEN),
    ("blind3", "odd (analysed)", 1, BLIND3_ODD),
    ("blind3", "even (analysed)", 0, BLIND3_EVEN),
    ("blind4", "whole (analysed)", None, BLIND4),
    ("blind5", "whole (analysed)", None, BLIND5),
    ("blind6", "whole (analysed)", None, BLIND6),
    ("blind7", "whole (analysed)", None, BLIND7),
    ("blind8", "whole (analysed)", None, BLIND8),
    ("blind9", "whole (analysed)", None, BLIND9),
    ("blind10", "whole (analysed)", None, BLIND10),
    ("blind11", "whole (analysed)", None, BLIND11),
    ("blind12", "whole (analysed)", None, BLIND12),
    ("blind13", "whole (analysed)", None, BLIND13),
    ("blind14", "whole (analysed)", None, BLIND14),
    ("blind15", "whole (analysed)", None, BLIND15),
    ("blind16", "whole (analysed)", None, BLIND16),
    ("blind18", "whole (analysed)", None, BLIND18),
    ("blind22", "whole (analysed)", None, BLIND22),
    ("blind23", "whole (analysed)", None, BLIND23),
    ("blind17", "whole (held out)", None, BLIND17),
    ("blind19", "whole (held out)", None, BLIND19),
    ("blind20", "whole (held out)", None, BLIND20),
    ("blind21", "whole (held out)", None, BLIND21),
    ("blind24", "whole (held out)", None, BLIND24),
    ("blind25", "whole (held out)", None, BLIND25),
    ("blind26", "whole (held out)", None, BLIND26),
    ("blind27", "whole (held out)", None, BLIND27),
    ("blind28", "whole (held out)", None, BLIND28),
    ("blind29", "whole (held out)", None, BLIND29),
    ("blind30", "whole (trained on)", None, BLIND30),
    ("blind31", "whole (trained on)", None, BLIND31),
    ("blind32", "whole (trained on)", None, BLIND32),
    ("blind33", "whole (held out)", None, BLIND33),
    ("blind34", "whole (analysed)", None, BLIND34),
    ("blind35", "whole (held out)", None, BLIND35),
])
def test_contradictions_on_independent_sets(name: str, part: str, parity: int | None,
                                            floors: tuple[float, float]) -> None:
    precision, recall, tp, fp, fn = score(name, parity)
    print(f"\n{name} {part}: contradicts precision {precision:.3f} recall {recall:.3f} (tp {tp}, fp {fp}, fn {fn})")
    assert precision >= floors[0] and recall >= floors[1]


def test_set_is_well_formed() -> None:
    sets = ("dev", "heldout", "independent", "blind", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7",
             "blind8", "blind9", "blind10", "blind11", "blind12", "blind13",
             "blind14", "blind15", "blind16", "blind17", "blind18", "blind19", "blind20",
             "blind21", "blind22", "blind23", "blind24", "blind25", "blind26", "blind27", "blind28", "blind29",
             "blind30", "blind31", "blind32", "blind33", "blind34", "blind35")
    named = [(name, json.loads(line)) for name in sets
             for line in (DATA / f"{name}.jsonl").read_text("utf-8").splitlines()]
    assert len(named) >= 120 and len({(name, i["id"]) for name, i in named}) == len(named)
    for _name, item in named:
        texts = {a["name"]: a["text"] for a in item["articles"]}
        assert 2 <= len(texts) <= 3
        for key in ("contradicts", "agrees", "not_contradicts"):
            for a, sa, b, sb in item[key]:
                assert texts[a].count(sa) == 1 and texts[b].count(sb) == 1, (item["id"], sa, sb)


FIRE_A = ("a.txt", "A fire destroyed a warehouse in Orrin on Tuesday. Twelve people were killed in the blaze. "
          "The building belonged to Kestrel Freight.")
FIRE_B = ("b.txt", "Nineteen people were killed when a blaze destroyed a Kestrel Freight warehouse in Orrin on "
          "Tuesday. Kestrel Freight said it would help investigators.")
BREAD = ("c.txt", "The price of a loaf in Quillon bakeries rose by 12% last month. Bakers blame the cost of "
         "flour and electricity.")


def test_output_matches_schema_and_names_values() -> None:
    from propscope.report import validate

    comparison = run([FIRE_A, FIRE_B])
    data = comparison.to_dict()
    validate(data, "comparison")
    (finding,) = [f for f in data["findings"] if f["relation"] == "contradicts"]
    (conflict,) = finding["conflicts"]
    assert conflict["kind"] == "number"
    assert {c["source"] for c in finding["claims"]} == {"a.txt", "b.txt"}
    for claim in finding["claims"]:
        text = data["articles"][claim["article"]]["text"]
        assert text[claim["start"] : claim["end"]] == claim["text"]


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_bundled_examples() -> None:
    """The three Marren fire articles: two contradictions, each its own finding, no mixed measures."""
    from propscope.compare import analyse_all, compare_reports

    reports = analyse_all(sorted(str(p) for p in EXAMPLES.glob("marren-fire-*")))
    findings = compare_reports(reports, _encoder()).to_dict()["findings"]
    contradictions = [f for f in findings if f["relation"] == CONTRADICTS]
    pairs = [{frozenset(c["values"]) for c in f["conflicts"]} for f in contradictions]
    assert sorted(map(sorted, map(lambda p: {v for pair in p for v in pair}, pairs))) == [
        ["12", "At least 19 [19..]"], ["1998 (1998)", "2011 (2011)"]]
    assert all(len(f["conflicts"]) == 2 for f in contradictions)  # the third article agrees with one
    agreed = [" ".join(c["text"] for c in f["claims"]) for f in findings if f["relation"] == AGREES]
    assert any("900 tonnes" in t and t.count("900 tonnes") == 2 for t in agreed)
    assert any(t.count("three months") == 2 for t in agreed)


def test_a_plain_denial_of_what_the_closest_sentence_asserts() -> None:
    from propscope.compare_judge import aligned_polarity_conflicts

    def found(first: str, second: str) -> list[tuple[str, str]]:
        return [(c.first, c.second) for c in aligned_polarity_conflicts(sentence(first), sentence(second, 1))]

    assert found("Norsyn said it would appeal.", "Norsyn said it would not appeal.") == [("appeal", "not appeal")]
    assert found("Gift cards will no longer be accepted.", "Gift cards will still be accepted for two weeks.") == [
        ("not accepted", "accepted")]
    # "without", the subject of a denial, a comparison, and a sentence that denies something itself
    assert found("About 31,000 homes lost power.", "Some 17,000 homes were still without power.") == []
    assert found("All crew members were reported safe.", "None of the crew members was hurt.") == []
    assert found("That is the steepest rise the index has recorded.",
                 "The index has never recorded a bigger rise.") == []
    assert found("The three crew members were unhurt.", "None of the three crew was hurt.") == []


def test_stories_sharing_a_name_written_differently_are_one() -> None:
    # "Norsyn" only opens sentences in b, yet both articles name it
    norsyn = run([("a.txt", "A court in Veltra has ordered the chemicals company Norsyn to pay €12 million to "
                            "340 farmers. Judge Pavel Horak delivered the ruling on 18 November. "
                            "Norsyn said it would appeal."),
                  ("b.txt", "Norsyn must compensate 340 farmers for polluting their fields, the district court "
                            "ruled on 18 November. Presiding judge Marta Kuhn read the ruling. "
                            "Norsyn said it would not appeal.")])
    assert not any("different stories" in w for w in norsyn.warnings)
    assert norsyn.count("contradicts") >= 1
    # a town two unrelated stories share does not make them one story
    town = run([("a.txt", "Riverton library reopened on Saturday after a £2m renovation. Librarian Jo Amis said "
                          "visitor numbers had doubled. The Riverton branch now opens on Sundays."),
                ("b.txt", "A Riverton man has claimed a $1.5 million lottery prize. Carl Dunne, 52, said he would "
                          "buy a boat. The winning ticket was sold at a Riverton petrol station.")])
    assert any("different stories" in w for w in town.warnings)


def test_bad_inputs() -> None:
    assert any("two or more" in w for w in run([FIRE_A]).warnings)
    unrelated = run([FIRE_A, BREAD])
    assert not unrelated.findings and any("different stories" in w for w in unrelated.warnings)
    dupe = run([FIRE_A, ("copy.txt", FIRE_A[1]), FIRE_B])
    assert any("copy.txt duplicates a.txt" in w for w in dupe.warnings)
    assert dupe.articles[1]["duplicate_of"] == 0 and dupe.count("contradicts") == 1
    empty = run([FIRE_A, ("empty.txt", "What a week it has been. Everyone seemed tired.")])
    assert any("empty.txt has no claims" in w for w in empty.warnings)


def test_story_grouping_keeps_stories_apart() -> None:
    comparison = run([FIRE_A, BREAD, FIRE_B])
    assert sorted(g["articles"] for g in comparison.groups) == [[0, 2], [1]]
    assert all(c["article"] in (0, 2) for f in comparison.findings for c in f["claims"])


def test_a_sentence_opening_word_taken_for_a_name_joins_no_stories() -> None:
    darra = ("darra.txt", "DARRA, 8 October (Nordwire) - Muhammad Selim of the Green Union won the mayoral "
             "election in Darra on Sunday with 54.2% of the vote. Turnout was 61%. Selim promised new bus lanes.")
    orsk = ("orsk.txt", "ORSK, 14 April (Nordwire) - Lise Aberg was re-elected mayor of Orsk on Sunday with 61% "
            "of the vote. Turnout was 47%. Aberg thanked her volunteers.")
    comparison = run([darra, orsk])
    assert sorted(g["articles"] for g in comparison.groups) == [[0], [1]]
    assert comparison.count("contradicts") == 0


def test_html_escapes_every_character() -> None:
    from propscope.compare_render import render_comparison_html

    evil = ("x.html", "Nineteen people were killed when a blaze destroyed a Kestrel Freight warehouse in Orrin "
            "on Tuesday <script>alert('x')</script> & \"more\".")
    page = render_comparison_html(run([FIRE_A, evil]))
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; &#34;more&#34;" in page
    assert 'href="#f0"' in page and 'id="f0"' in page


def test_cli(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from propscope.cli import cli  # registers compare; importing cli_compare first is circular

    compare = cli.commands["compare"]

    for name, text in (FIRE_A, FIRE_B):
        (tmp_path / name).write_text(text, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(compare, [str(tmp_path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["schema"] == "propscope.comparison/1"
    missing = runner.invoke(compare, [str(tmp_path / "a.txt"), str(tmp_path / "nope.txt")])
    assert missing.exit_code != 0 and "nope.txt" in missing.stderr and "Traceback" not in missing.stderr
    assert "two or more" in missing.stderr
    text = runner.invoke(compare, [str(tmp_path)])
    assert "contradicts" in text.stdout and "2 articles, 1 story:" in text.stdout


@pytest.mark.parametrize(("plural", "singular"), [
    ("matches", "match"), ("launches", "launch"), ("boxes", "box"), ("witnesses", "witness"), ("classes", "class"),
    ("flights", "flight"), ("casualties", "casualty"),
])
def test_a_unit_is_the_same_in_the_plural(plural: str, singular: str) -> None:
    assert unit_of(plural) == unit_of(singular)


@pytest.mark.parametrize(("text", "day", "anchor"), [
    ("The crash took place on Monday morning.", "Monday", "crash"),  # a light verb: the event before it
    ("The collision happened on Sunday night.", "Sunday", "crash"),
    ("The discovery was made on Thursday.", "Thursday", "discover"),
    ("The seizure took place on Tuesday.", "Tuesday", "seize"),
    ("The announcement came on Monday.", "Monday", "announce"),
    ("The inspection took place on Friday.", "Friday", "inspect"),
])
def test_an_event_named_before_a_light_verb_anchors_its_day(text: str, day: str, anchor: str) -> None:
    values = [v for v in sentence(text).values if v.text.startswith(day)]
    assert [v.anchor for v in values] == [anchor]


def test_two_days_of_one_event_in_other_words_are_the_same_measure() -> None:
    crash = next(v for v in sentence("The collision happened on Sunday night.").values if v.unit == "weekday")
    other = next(v for v in sentence("The crash took place on Tuesday.", 1).values if v.unit == "weekday")
    assert crash.anchor == other.anchor == "crash"
    assert same_measure(crash, other)


def test_offices_after_a_common_noun_owner_and_named_twice_in_part() -> None:
    # "the company's chief executive": whose office is not said by name
    text = "Nuala Breathnach, the company's chief executive, said."
    assert role_at(text, 0, 0, 16, "Nuala Breathnach") == ("chief executive", None)
    text = "Development officer Nuala Breathnach said."
    assert role_at(text, 0, 20, 36, "Nuala Breathnach") == ("development officer", None)
    text = "Regional organiser Dave Kinnear said."
    assert role_at(text, 0, 19, 31, "Dave Kinnear") == ("regional organiser", None)
    # "of public health" names no owner, though the pattern ignores case elsewhere
    text = "Dr Kwame Asante, the council's director of public health, said."
    assert role_at(text, 0, 3, 15, "Kwame Asante") == ("director", None)
    posts = [RoleMention(0, 1, "Nuala Breathnach", "development officer", None, 0, 1),
             RoleMention(1, 1, "Nuala Breathnach", "chief executive", None, 0, 1)]
    assert [k for _, _, k in role_conflicts(posts)] == ["role"]
    # one name within the other is one person whom the clusters kept apart
    directors = [RoleMention(0, 1, "Kwame", "health director", None, 0, 1),
                 RoleMention(1, 2, "Kwame Asante", "director", None, 0, 1)]
    assert role_conflicts(directors) == []


def test_a_place_named_after_its_kind_is_placed_by_the_word_before() -> None:
    comparison = run([("a.txt", "Voss was jailed for fraud. The money went on a villa on the island of Corvessa."),
                      ("b.txt", "Voss was jailed for fraud. The cash paid for a villa on the island of Sarno.")])
    conflicts = [c for f in comparison.findings for c in f.get("conflicts", [])]
    assert [(c["kind"], sorted(c["values"])) for c in conflicts] == [("place", ["Corvessa", "Sarno"])]
