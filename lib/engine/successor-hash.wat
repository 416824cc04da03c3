;; A successor's hash from its parent's, for the explorer (slots.ts, Workspace): the same sum
;; as Workspace.hash computes from scratch, updated by the slots the step changed. Those are
;; found eight at a time (i16x8.ne), so a state vector is padded to a multiple of eight slots
;; (VEC_ALIGN). Each lane mixes as slots.ts's laneA / laneB do: murmur3's finaliser and
;; lowbias32, written out in place (V8 did not inline them as functions: the calls cost some 5%
;; of a search). And the copies of vectors within the search's memory, sixteen bytes a move:
;; TypedArray.prototype.set and word loops cost about a tenth of a search.
;; Built into successor-hash.ts by `npm run build:wasm`; tests/engine/slots.test.ts checks that
;; the two agree and that it hashes as the JavaScript does.
;; The memory is shared where the runtime allows it: growing it then leaves the old buffer as it
;; was rather than detaching it, and V8 makes every typed-array access check for a detached buffer
;; once any buffer in the process has been detached (about 7% of a search). build-wasm.mjs also
;; assembles it with an unshared memory.
(module
  (import "engine" "memory" (memory 1 65536 shared))

  ;; Copy $bytes bytes (a multiple of 16) from byte $from to byte $to.
  (func (export "copy") (param $from i32) (param $to i32) (param $bytes i32)
    (local $off i32)
    (block $done
      (loop $sixteens
        (br_if $done (i32.ge_u (local.get $off) (local.get $bytes)))
        (v128.store (i32.add (local.get $to) (local.get $off)) (v128.load (i32.add (local.get $from) (local.get $off))))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $sixteens))))

  ;; The successor at byte $x of the parent at byte $p, vectors of $bytes bytes, the parent's
  ;; lanes $a and $b: returns lane a and leaves lane b at byte 0. The parent is copied to byte
  ;; $next on the way, from the loads the comparison makes: the explorer's next successor.
  (func (export "hashSuccessor") (param $p i32) (param $x i32) (param $bytes i32) (param $a i32) (param $b i32) (param $next i32) (result i32)
    (local $off i32) (local $changed i32) (local $k i32) (local $y i32) (local $z i32) (local $ka i32) (local $kb i32) (local $h i32) (local $parent v128)
    (block $done
      (loop $eights
        (br_if $done (i32.ge_u (local.get $off) (local.get $bytes)))
        ;; One bit per slot of these eight that differs from the parent's.
        (local.set $parent (v128.load (i32.add (local.get $p) (local.get $off))))
        (v128.store (i32.add (local.get $next) (local.get $off)) (local.get $parent))
        (local.set $changed (i16x8.bitmask (i16x8.ne
          (v128.load (i32.add (local.get $x) (local.get $off)))
          (local.get $parent))))
        (block $next
          (loop $slots
            (br_if $next (i32.eqz (local.get $changed)))
            (local.set $k (i32.add (i32.shr_u (local.get $off) (i32.const 1)) (i32.ctz (local.get $changed))))
            (local.set $changed (i32.and (local.get $changed) (i32.sub (local.get $changed) (i32.const 1))))
            (local.set $y (i32.load16_s (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $z (i32.load16_s (i32.add (local.get $p) (i32.shl (local.get $k) (i32.const 1)))))
            (local.set $ka (i32.mul (i32.add (local.get $k) (i32.const 1)) (i32.const 0x9e3779b1)))
            (local.set $kb (i32.mul (i32.add (local.get $k) (i32.const 1)) (i32.const 0x632be5ab)))
            ;; Lane a: murmur3's finaliser of the new value, less that of the old.
            (local.set $h (i32.xor (local.get $ka) (local.get $y)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
            (local.set $a (i32.add (local.get $a) (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16)))))
            (local.set $h (i32.xor (local.get $ka) (local.get $z)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x85ebca6b)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0xc2b2ae35)))
            (local.set $a (i32.sub (local.get $a) (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16)))))
            ;; Lane b: lowbias32 alike.
            (local.set $h (i32.xor (local.get $kb) (local.get $y)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x7feb352d)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x846ca68b)))
            (local.set $b (i32.add (local.get $b) (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16)))))
            (local.set $h (i32.xor (local.get $kb) (local.get $z)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x7feb352d)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))))
            (local.set $h (i32.mul (local.get $h) (i32.const 0x846ca68b)))
            (local.set $b (i32.sub (local.get $b) (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16)))))
            (br $slots)))
        (local.set $off (i32.add (local.get $off) (i32.const 16)))
        (br $eights)))
    (i32.store (i32.const 0) (local.get $b))
    (local.get $a)))
