;; median-dense.ts's block (ranks by radix sort, then running medians over counts and a two-level
;; occupancy bitmap) in WebAssembly: the same algorithm, so the same ranks and the same medians, at
;; about twice the JavaScript's speed (no bounds checks; the window's updates and the median's steps
;; written out in the loop, not called). Built into median-dense-bytes.ts by scripts/build-wasm.mjs
;; (npm run build:wasm).
;;
;; Memory, laid out by median-dense.ts for a block of n samples: the samples (f32) at x, four regions
;; of n words (ka, ia, kb, ib), 3 x 2048 radix counts at cnt, the medians' tally (nLevels counts, then
;; the occupancy bitmap, then its words' bitmap) at t. Words are 32-bit, little-endian, 4-byte aligned.
(module
  (memory (export "memory") 1)

  ;; Ranks the n float32 values at $x among themselves: codes[i] (at $ka) = the rank of x[i],
  ;; levels[r] (f32 at $ia) = the value of rank r. Returns the number of ranks, or -1 when a value is
  ;; a NaN, an infinity or a -0. Keys: the float's bits as a signed integer, negatives' lower 31 bits
  ;; flipped, so that integer order is value order; an LSD radix sort of (key, index) by 11, 11 and 10
  ;; bits (ka -> kb -> ka -> kb), every digit counted in the first pass.
  (func $rank (export "rank") (param $x i32) (param $n i32) (param $ka i32) (param $ia i32) (param $kb i32) (param $ib i32)
    (param $cnt i32) (result i32)
    (local $i i32) (local $b i32) (local $k i32) (local $a i32) (local $p i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $r i32) (local $prev i32) (local $at i32)
    (local.set $i (i32.const 0))
    (loop $clear
      (i32.store (i32.add (local.get $cnt) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
      (br_if $clear (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 6144))))
    (block $refused
      ;; keys, and the counts of their three digits (at cnt, cnt + 2048 and cnt + 4096 words)
      (local.set $i (i32.const 0))
      (loop $keys
        (local.set $b (i32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
        (br_if $refused (i32.eq (i32.and (local.get $b) (i32.const 0x7f800000)) (i32.const 0x7f800000)))
        (br_if $refused (i32.eq (local.get $b) (i32.const 0x80000000)))
        (local.set $k (select (i32.xor (local.get $b) (i32.const 0x7fffffff)) (local.get $b) (i32.lt_s (local.get $b) (i32.const 0))))
        (i32.store (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2))) (local.get $k))
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.and (local.get $k) (i32.const 2047)) (i32.const 2))))
        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.and (i32.shr_s (local.get $k) (i32.const 11)) (i32.const 2047)) (i32.const 2))))
        (i32.store offset=8192 (local.get $a) (i32.add (i32.load offset=8192 (local.get $a)) (i32.const 1)))
        ;; the top digit, k >> 22, runs from -512 to 511: counted at 512 + it
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.add (i32.shr_s (local.get $k) (i32.const 22)) (i32.const 512)) (i32.const 2))))
        (i32.store offset=16384 (local.get $a) (i32.add (i32.load offset=16384 (local.get $a)) (i32.const 1)))
        (br_if $keys (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      ;; counts -> each digit's first position
      (local.set $i (i32.const 0))
      (loop $starts
        (local.set $a (i32.add (local.get $cnt) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $p (i32.load (local.get $a)))
        (i32.store (local.get $a) (local.get $s0))
        (local.set $s0 (i32.add (local.get $s0) (local.get $p)))
        (local.set $p (i32.load offset=8192 (local.get $a)))
        (i32.store offset=8192 (local.get $a) (local.get $s1))
        (local.set $s1 (i32.add (local.get $s1) (local.get $p)))
        (local.set $p (i32.load offset=16384 (local.get $a)))
        (i32.store offset=16384 (local.get $a) (local.get $s2))
        (local.set $s2 (i32.add (local.get $s2) (local.get $p)))
        (br_if $starts (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2048))))
      ;; pass 1, low digit: ka (index i) -> kb, ib
      (local.set $i (i32.const 0))
      (loop $pass1
        (local.set $k (i32.load (i32.add (local.get $ka) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.and (local.get $k) (i32.const 2047)) (i32.const 2))))
        (local.set $p (i32.load (local.get $a)))
        (i32.store (local.get $a) (i32.add (local.get $p) (i32.const 1)))
        (local.set $p (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $kb) (local.get $p)) (local.get $k))
        (i32.store (i32.add (local.get $ib) (local.get $p)) (local.get $i))
        (br_if $pass1 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      ;; pass 2, middle digit: kb, ib -> ka, ia
      (local.set $i (i32.const 0))
      (loop $pass2
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $k (i32.load (i32.add (local.get $kb) (local.get $at))))
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.and (i32.shr_s (local.get $k) (i32.const 11)) (i32.const 2047)) (i32.const 2))))
        (local.set $p (i32.load offset=8192 (local.get $a)))
        (i32.store offset=8192 (local.get $a) (i32.add (local.get $p) (i32.const 1)))
        (local.set $p (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $ka) (local.get $p)) (local.get $k))
        (i32.store (i32.add (local.get $ia) (local.get $p)) (i32.load (i32.add (local.get $ib) (local.get $at))))
        (br_if $pass2 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      ;; pass 3, top digit: ka, ia -> kb, ib
      (local.set $i (i32.const 0))
      (loop $pass3
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $k (i32.load (i32.add (local.get $ka) (local.get $at))))
        (local.set $a (i32.add (local.get $cnt) (i32.shl (i32.add (i32.shr_s (local.get $k) (i32.const 22)) (i32.const 512)) (i32.const 2))))
        (local.set $p (i32.load offset=16384 (local.get $a)))
        (i32.store offset=16384 (local.get $a) (i32.add (local.get $p) (i32.const 1)))
        (local.set $p (i32.shl (local.get $p) (i32.const 2)))
        (i32.store (i32.add (local.get $kb) (local.get $p)) (local.get $k))
        (i32.store (i32.add (local.get $ib) (local.get $p)) (i32.load (i32.add (local.get $ia) (local.get $at))))
        (br_if $pass3 (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      ;; ranks in sorted order: a new rank at each new key; codes into ka, levels into ia (both free now)
      (local.set $r (i32.const -1))
      (local.set $prev (i32.xor (i32.load (local.get $kb)) (i32.const 1)))
      (local.set $i (i32.const 0))
      (loop $ranks
        (local.set $k (i32.load (i32.add (local.get $kb) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $at (i32.shl (i32.load (i32.add (local.get $ib) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))
        (if (i32.ne (local.get $k) (local.get $prev))
          (then
            (local.set $prev (local.get $k))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (f32.store (i32.add (local.get $ia) (i32.shl (local.get $r) (i32.const 2))) (f32.load (i32.add (local.get $x) (local.get $at))))))
        (i32.store (i32.add (local.get $ka) (local.get $at)) (local.get $r))
        (br_if $ranks (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
      (return (i32.add (local.get $r) (i32.const 1))))
    (i32.const -1))

  ;; Adds rank v to the window: its count at $t, its bit in the bitmap at $occ, its word's bit at $tops.
  (func $add (param $t i32) (param $occ i32) (param $tops i32) (param $v i32)
    (local $a i32) (local $c i32)
    (local.set $a (i32.add (local.get $t) (i32.shl (local.get $v) (i32.const 2))))
    (local.set $c (i32.load (local.get $a)))
    (i32.store (local.get $a) (i32.add (local.get $c) (i32.const 1)))
    (if (i32.eqz (local.get $c))
      (then
        (local.set $a (i32.add (local.get $occ) (i32.shl (i32.shr_u (local.get $v) (i32.const 5)) (i32.const 2))))
        (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (i32.shl (i32.const 1) (local.get $v))))
        (local.set $a (i32.add (local.get $tops) (i32.shl (i32.shr_u (local.get $v) (i32.const 10)) (i32.const 2))))
        (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (i32.shl (i32.const 1) (i32.shr_u (local.get $v) (i32.const 5))))))))

  ;; Running median of the n ranks at $c (each below nLevels) over a centred window of `width` (odd)
  ;; samples, ends held, into $y: median-dense.ts's runningMedianRanks step for step. m: the median's
  ;; rank; under: the window's entries at ranks below m; invariant under <= half < under + count[m].
  (func $median (export "median") (param $c i32) (param $y i32) (param $n i32) (param $width i32) (param $nLevels i32) (param $t i32)
    (local $half i32) (local $last i32) (local $occ i32) (local $tops i32) (local $words i32)
    (local $i i32) (local $s i32) (local $j i32) (local $m i32) (local $under i32) (local $o i32) (local $v i32)
    (local $a i32) (local $cm i32) (local $w i32) (local $word i32) (local $bits i32)
    (local.set $half (i32.shr_u (local.get $width) (i32.const 1)))
    (local.set $last (i32.sub (local.get $n) (i32.const 1)))
    (local.set $words (i32.add (i32.shr_u (local.get $nLevels) (i32.const 5)) (i32.const 1)))
    (local.set $occ (i32.add (local.get $t) (i32.shl (local.get $nLevels) (i32.const 2))))
    (local.set $tops (i32.add (local.get $occ) (i32.shl (local.get $words) (i32.const 2))))
    ;; counts, bitmap and its words' bitmap cleared
    (local.set $i (i32.add (i32.add (local.get $nLevels) (local.get $words)) (i32.add (i32.shr_u (local.get $words) (i32.const 5)) (i32.const 1))))
    (loop $clear
      (local.set $i (i32.sub (local.get $i) (i32.const 1)))
      (i32.store (i32.add (local.get $t) (i32.shl (local.get $i) (i32.const 2))) (i32.const 0))
      (br_if $clear (local.get $i)))
    ;; the first window, the first sample held before the signal; m starts at c[0]
    (local.set $m (i32.load (local.get $c)))
    (local.set $s (i32.sub (i32.const 0) (local.get $half)))
    (loop $first
      (local.set $j (select (i32.const 0) (select (local.get $last) (local.get $s) (i32.gt_s (local.get $s) (local.get $last))) (i32.lt_s (local.get $s) (i32.const 0))))
      (local.set $v (i32.load (i32.add (local.get $c) (i32.shl (local.get $j) (i32.const 2)))))
      (call $add (local.get $t) (local.get $occ) (local.get $tops) (local.get $v))
      (local.set $under (i32.add (local.get $under) (i32.lt_u (local.get $v) (local.get $m))))
      (br_if $first (i32.le_s (local.tee $s (i32.add (local.get $s) (i32.const 1))) (local.get $half))))
    (local.set $i (i32.const 0))
    (loop $outputs
      ;; the window moves on (from the second output): o leaves, v enters
      (block $moved
        (br_if $moved (i32.eqz (local.get $i)))
        (local.set $j (i32.sub (i32.sub (local.get $i) (i32.const 1)) (local.get $half)))
        (local.set $o (i32.load (i32.add (local.get $c) (i32.shl (select (i32.const 0) (local.get $j) (i32.lt_s (local.get $j) (i32.const 0))) (i32.const 2)))))
        (local.set $j (i32.add (local.get $i) (local.get $half)))
        (local.set $v (i32.load (i32.add (local.get $c) (i32.shl (select (local.get $last) (local.get $j) (i32.gt_s (local.get $j) (local.get $last))) (i32.const 2)))))
        (br_if $moved (i32.eq (local.get $o) (local.get $v)))
        ;; o out: its count down; at zero its bit cleared, and its word's bit when the word empties
        (local.set $a (i32.add (local.get $t) (i32.shl (local.get $o) (i32.const 2))))
        (local.set $cm (i32.sub (i32.load (local.get $a)) (i32.const 1)))
        (i32.store (local.get $a) (local.get $cm))
        (if (i32.eqz (local.get $cm))
          (then
            (local.set $w (i32.shr_u (local.get $o) (i32.const 5)))
            (local.set $a (i32.add (local.get $occ) (i32.shl (local.get $w) (i32.const 2))))
            (local.set $word (i32.and (i32.load (local.get $a)) (i32.rotl (i32.const -2) (local.get $o))))
            (i32.store (local.get $a) (local.get $word))
            (if (i32.eqz (local.get $word))
              (then
                (local.set $a (i32.add (local.get $tops) (i32.shl (i32.shr_u (local.get $w) (i32.const 5)) (i32.const 2))))
                (i32.store (local.get $a) (i32.and (i32.load (local.get $a)) (i32.rotl (i32.const -2) (local.get $w))))))))
        ;; v in
        (local.set $a (i32.add (local.get $t) (i32.shl (local.get $v) (i32.const 2))))
        (local.set $cm (i32.load (local.get $a)))
        (i32.store (local.get $a) (i32.add (local.get $cm) (i32.const 1)))
        (if (i32.eqz (local.get $cm))
          (then
            (local.set $a (i32.add (local.get $occ) (i32.shl (i32.shr_u (local.get $v) (i32.const 5)) (i32.const 2))))
            (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (i32.shl (i32.const 1) (local.get $v))))
            (local.set $a (i32.add (local.get $tops) (i32.shl (i32.shr_u (local.get $v) (i32.const 10)) (i32.const 2))))
            (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (i32.shl (i32.const 1) (i32.shr_u (local.get $v) (i32.const 5)))))))
        (local.set $under (i32.sub (i32.add (local.get $under) (i32.lt_u (local.get $v) (local.get $m))) (i32.lt_u (local.get $o) (local.get $m)))))
      ;; too many below m: m steps down to the highest occupied rank below it (one exists)
      (block $low
        (loop $down
          (br_if $low (i32.le_s (local.get $under) (local.get $half)))
          (block $found
            ;; in m - 1's word, at or below its bit
            (local.set $j (i32.sub (local.get $m) (i32.const 1)))
            (local.set $w (i32.shr_u (local.get $j) (i32.const 5)))
            (local.set $bits (i32.and (i32.load (i32.add (local.get $occ) (i32.shl (local.get $w) (i32.const 2))))
              (i32.shr_u (i32.const -1) (i32.sub (i32.const 31) (i32.and (local.get $j) (i32.const 31))))))
            (if (local.get $bits)
              (then
                (local.set $m (i32.sub (i32.or (i32.shl (local.get $w) (i32.const 5)) (i32.const 31)) (i32.clz (local.get $bits))))
                (br $found)))
            ;; else the highest non-empty word below it, by the words' bitmap
            (local.set $w (i32.sub (local.get $w) (i32.const 1)))
            (local.set $s (i32.shr_u (local.get $w) (i32.const 5)))
            (local.set $bits (i32.and (i32.load (i32.add (local.get $tops) (i32.shl (local.get $s) (i32.const 2))))
              (i32.shr_u (i32.const -1) (i32.sub (i32.const 31) (i32.and (local.get $w) (i32.const 31))))))
            (block $word
              (loop $scan
                (br_if $word (local.get $bits))
                (local.set $s (i32.sub (local.get $s) (i32.const 1)))
                (local.set $bits (i32.load (i32.add (local.get $tops) (i32.shl (local.get $s) (i32.const 2)))))
                (br $scan)))
            (local.set $w (i32.sub (i32.or (i32.shl (local.get $s) (i32.const 5)) (i32.const 31)) (i32.clz (local.get $bits))))
            (local.set $m (i32.sub (i32.or (i32.shl (local.get $w) (i32.const 5)) (i32.const 31))
              (i32.clz (i32.load (i32.add (local.get $occ) (i32.shl (local.get $w) (i32.const 2))))))))
          (local.set $under (i32.sub (local.get $under) (i32.load (i32.add (local.get $t) (i32.shl (local.get $m) (i32.const 2))))))
          (br $down)))
      ;; too few at or below m: m steps up to the lowest occupied rank above it (one exists)
      (block $high
        (loop $up
          (local.set $cm (i32.load (i32.add (local.get $t) (i32.shl (local.get $m) (i32.const 2)))))
          (br_if $high (i32.gt_s (i32.add (local.get $under) (local.get $cm)) (local.get $half)))
          (local.set $under (i32.add (local.get $under) (local.get $cm)))
          (block $found
            ;; in m + 1's word, at or above its bit
            (local.set $j (i32.add (local.get $m) (i32.const 1)))
            (local.set $w (i32.shr_u (local.get $j) (i32.const 5)))
            (local.set $bits (i32.and (i32.load (i32.add (local.get $occ) (i32.shl (local.get $w) (i32.const 2))))
              (i32.shl (i32.const -1) (local.get $j))))
            (if (local.get $bits)
              (then
                (local.set $m (i32.add (i32.shl (local.get $w) (i32.const 5)) (i32.ctz (local.get $bits))))
                (br $found)))
            ;; else the lowest non-empty word above it, by the words' bitmap
            (local.set $w (i32.add (local.get $w) (i32.const 1)))
            (local.set $s (i32.shr_u (local.get $w) (i32.const 5)))
            (local.set $bits (i32.and (i32.load (i32.add (local.get $tops) (i32.shl (local.get $s) (i32.const 2))))
              (i32.shl (i32.const -1) (local.get $w))))
            (block $word
              (loop $scan
                (br_if $word (local.get $bits))
                (local.set $s (i32.add (local.get $s) (i32.const 1)))
                (local.set $bits (i32.load (i32.add (local.get $tops) (i32.shl (local.get $s) (i32.const 2)))))
                (br $scan)))
            (local.set $w (i32.add (i32.shl (local.get $s) (i32.const 5)) (i32.ctz (local.get $bits))))
            (local.set $m (i32.add (i32.shl (local.get $w) (i32.const 5))
              (i32.ctz (i32.load (i32.add (local.get $occ) (i32.shl (local.get $w) (i32.const 2))))))))
          (br $up)))
      (i32.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 2))) (local.get $m))
      (br_if $outputs (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))

  ;; out[i] = levels[codes[i]] for i < count (count >= 1): the medians' ranks back to values.
  (func $gather (export "gather") (param $codes i32) (param $levels i32) (param $out i32) (param $count i32)
    (local $i i32)
    (loop $each
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (f32.load (i32.add (local.get $levels) (i32.shl (i32.load (i32.add (local.get $codes) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 2)))))
      (br_if $each (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $count)))))
)
