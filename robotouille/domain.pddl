; Robotouille kitchen domain: STRIPS with negative preconditions only.
; Cutting progress and cooking/frying/boiling time are tracked outside PDDL (see
; robotouille/env.py): `cut` only checks that the action is allowed; `cook`, `fry` and `boil`
; start a process (iscooking, isfrying, isheating) that env.py turns into iscooked / isfried /
; isboiling after the level's duration. `fill` fills a pot at a sink at once. An item stacked
; on a pot of boiling water simmers (env.py) and becomes soup (issoup) after its duration.
(define (domain robotouille)
  (:requirements :strips :typing :negative-preconditions)
  (:types station item player)
  (:predicates
    (istable ?s - station)
    (isstove ?s - station)
    (isboard ?s - station)
    (isfryer ?s - station)
    (issink ?s - station)
    (iscuttable ?i - item)
    (iscookable ?i - item)
    (isfryable ?i - item)
    (isboilable ?i - item)
    (ispot ?i - item)
    (loc ?p - player ?s - station)
    (vacant ?s - station)
    (at ?i - item ?s - station)
    (on ?i - item ?s - station)
    (empty ?s - station)
    (atop ?i1 - item ?i2 - item)
    (clear ?i - item)
    (has ?p - player ?i - item)
    (nothing ?p - player)
    (iscut ?i - item)
    (iscooked ?i - item)
    (iscooking ?i - item)
    (isfrying ?i - item)
    (isfried ?i - item)
    (isfilled ?i - item)
    (isheating ?i - item)
    (isboiling ?i - item)
    (issimmering ?i - item)
    (issoup ?i - item)
  )

  (:action move
    :parameters (?p - player ?s1 - station ?s2 - station)
    :precondition (and (loc ?p ?s1) (vacant ?s2))
    :effect (and (loc ?p ?s2) (not (loc ?p ?s1)) (vacant ?s1) (not (vacant ?s2))))

  (:action pickup
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (on ?i ?s) (clear ?i))
    :effect (and (has ?p ?i) (not (nothing ?p)) (not (on ?i ?s)) (not (at ?i ?s)) (empty ?s)))

  (:action place
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (has ?p ?i) (empty ?s))
    :effect (and (nothing ?p) (not (has ?p ?i)) (at ?i ?s) (on ?i ?s) (not (empty ?s))))

  (:action stack
    :parameters (?p - player ?i1 - item ?i2 - item ?s - station)
    :precondition (and (loc ?p ?s) (has ?p ?i1) (at ?i2 ?s) (clear ?i2))
    :effect (and (nothing ?p) (not (has ?p ?i1)) (atop ?i1 ?i2) (at ?i1 ?s) (not (clear ?i2))))

  (:action unstack
    :parameters (?p - player ?i1 - item ?i2 - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (atop ?i1 ?i2) (at ?i1 ?s) (clear ?i1))
    :effect (and (has ?p ?i1) (not (nothing ?p)) (not (atop ?i1 ?i2)) (not (at ?i1 ?s)) (clear ?i2)))

  (:action cut
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (isboard ?s) (on ?i ?s) (clear ?i) (iscuttable ?i) (not (iscut ?i)))
    :effect (and (clear ?i)))

  (:action cook
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (isstove ?s) (on ?i ?s) (clear ?i) (iscookable ?i) (not (iscooked ?i)))
    :effect (and (iscooking ?i)))

  (:action fry
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (isfryer ?s) (on ?i ?s) (clear ?i) (isfryable ?i) (not (isfried ?i)))
    :effect (and (isfrying ?i)))

  (:action fill
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (issink ?s) (on ?i ?s) (clear ?i) (ispot ?i) (not (isfilled ?i)))
    :effect (and (isfilled ?i)))

  (:action boil
    :parameters (?p - player ?i - item ?s - station)
    :precondition (and (loc ?p ?s) (nothing ?p) (isstove ?s) (on ?i ?s) (ispot ?i) (isfilled ?i) (not (isheating ?i)) (not (isboiling ?i)))
    :effect (and (isheating ?i)))
)
